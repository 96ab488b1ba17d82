import type { LaunchFilter } from './filter';
import { STATUS_TEXT, STATUSES } from './format';

interface Props {
  filter: LaunchFilter;
  hosts: readonly string[];
  shown: number;
  total: number;
  onChange: (filter: LaunchFilter) => void;
  /** Offers "This tab only" for this tab (the DevTools panel's inspected tab). */
  inspectedTabId?: number;
}

/** Status and host filters plus the free-text search over decoded values. */
export function LaunchFilters({ filter, hosts, shown, total, onChange, inspectedTabId }: Props) {
  return (
    <div className="sld-filters">
      <input
        type="search"
        aria-label="Search launches"
        placeholder="Search decoded values…"
        value={filter.query}
        onChange={(e) => onChange({ ...filter, query: e.target.value })}
      />
      <select
        aria-label="Filter by status"
        value={filter.status}
        onChange={(e) => onChange({ ...filter, status: e.target.value as LaunchFilter['status'] })}
      >
        <option value="all">All statuses</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_TEXT[s]}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by host"
        value={filter.host}
        onChange={(e) => onChange({ ...filter, host: e.target.value })}
      >
        <option value="">All hosts</option>
        {hosts.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
      {inspectedTabId !== undefined && (
        <label title="Launches in the inspected tab or in tabs it opened; imported launches stay listed">
          <input
            type="checkbox"
            checked={filter.tabId !== undefined}
            onChange={(e) => {
              const { tabId: _, ...rest } = filter;
              onChange(e.target.checked ? { ...rest, tabId: inspectedTabId } : rest);
            }}
          />
          This tab only
        </label>
      )}
      <span className="sld-count" aria-live="polite">
        {shown === total
          ? `${total} ${total === 1 ? 'launch' : 'launches'}`
          : `${shown} of ${total} ${total === 1 ? 'launch' : 'launches'}`}
      </span>
    </div>
  );
}
