import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  compareLaunches,
  comparisonMarkdown,
  type Difference,
  isCompanionLaunch,
  isTroubledLaunch,
  lastCompanionLaunch,
} from '../../utils/compare';
import type { LaunchSummary } from '../../utils/launch/summary';
import type { Finding, Fix, Launch } from '../../utils/model';
import { Button } from '../common/Button';
import { formatClock, STATUS_TEXT } from '../launch/format';
import { CompareView } from './CompareView';

export interface ComparePanelProps {
  launch: Launch;
  /** The launches the user can pick from (the log's list). */
  launches: readonly LaunchSummary[];
  /** The picked launch in full (the list holds summaries only). */
  loadLaunch: (id: string) => Promise<Launch | null>;
  onFix: (fix: Fix, finding: Finding, launch: Launch) => void;
  onCopyMarkdown: (markdown: string) => void;
}

const optionText = (l: LaunchSummary) =>
  `${STATUS_TEXT[l.status]} · ${l.clientId ?? 'unknown client'}${isCompanionLaunch(l) ? ' (companion)' : ''} · ${formatClock(l.startedAt)}`;

/** The "Compare with…" button, found in its container. */
function focusOpenIn(container: HTMLElement | null) {
  container?.querySelector<HTMLButtonElement>('button[aria-expanded]')?.focus();
}

/**
 * "Compare with…" on a launch: pick another launch from the list, or, on a launch in trouble, the
 * last companion launch in one click; then the comparison. Render with key={launch.id}.
 */
export function ComparePanel({ launch, launches, loadLaunch, onFix, onCopyMarkdown }: ComparePanelProps) {
  const selectId = useId();
  const [picking, setPicking] = useState(false);
  const others = launches.filter((l) => l.id !== launch.id);
  const [picked, setPick] = useState<string>();
  // The list refreshes while the picker is open: a pick that left it falls back to the newest launch.
  const pick = others.some((l) => l.id === picked) ? picked! : (others[0]?.id ?? '');
  const [otherId, setOtherId] = useState<string>();
  // Summaries name the authorization host as their server. Only companion launches are candidates, so
  // only they are copied (the list may hold a thousand launches).
  const companion = isTroubledLaunch(launch)
    ? lastCompanionLaunch(
        launches.filter((l) => isCompanionLaunch(l)).map((l) => ({ ...l, authHost: l.server })),
        launch,
      )
    : undefined;
  const [other, setOther] = useState<Launch>();
  useEffect(() => {
    if (!otherId) return setOther(undefined);
    let current = true;
    // A launch gone meanwhile (deleted, retention) leaves the picker as it was.
    loadLaunch(otherId).then(
      (l) => current && setOther(l ?? undefined),
      () => current && setOther(undefined),
    );
    return () => {
      current = false;
    };
  }, [otherId, loadLaunch]);
  const comparison = useMemo(() => (other ? compareLaunches(launch, other) : undefined), [launch, other]);
  const start = useRef<HTMLDivElement>(null);
  const select = useRef<HTMLSelectElement>(null);
  const [closed, setClosed] = useState(false);
  useEffect(() => {
    if (picking) select.current?.focus();
  }, [picking]);
  useEffect(() => {
    // Back where the user started once the comparison is closed.
    if (closed && !otherId) focusOpenIn(start.current);
  }, [closed, otherId]);

  if (comparison && other && other.id === otherId) {
    const fixFor = (fix: Fix, d: Difference) => {
      const side = d.finding?.side === 'b' ? other : launch;
      const finding = side.findings.find((f) => f.ruleId === d.finding?.ruleId);
      if (finding) onFix(fix, finding, side);
    };
    return (
      <CompareView
        comparison={comparison}
        onFix={fixFor}
        onCopyMarkdown={() => onCopyMarkdown(comparisonMarkdown(launch, other))}
        onClose={() => {
          setOtherId(undefined);
          setPicking(false);
          setClosed(true);
        }}
      />
    );
  }
  return (
    <div className="sld-actions sld-cmp-start" ref={start}>
      {companion && (
        <Button variant="primary" onClick={() => setOtherId(companion.id)}>
          Compare with the last companion launch
        </Button>
      )}
      <Button aria-expanded={picking} onClick={() => setPicking(!picking)} disabled={others.length === 0}>
        Compare with…
      </Button>
      {picking && (
        <form
          className="sld-cmp-picker"
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) setOtherId(pick);
          }}
          onKeyDown={(e) => {
            // Escape cancels, as Cancel does (a select that is open closes its own list first).
            if (e.key !== 'Escape') return;
            e.preventDefault();
            setPicking(false);
            focusOpenIn(start.current);
          }}
        >
          <label htmlFor={selectId}>Launch to compare with</label>
          <select id={selectId} ref={select} value={pick} onChange={(e) => setPick(e.target.value)}>
            {others.map((l) => (
              <option key={l.id} value={l.id}>
                {optionText(l)}
              </option>
            ))}
          </select>
          <Button type="submit" variant="primary" disabled={!pick}>
            Compare
          </Button>
          <Button
            onClick={() => {
              setPicking(false);
              focusOpenIn(start.current);
            }}
          >
            Cancel
          </Button>
        </form>
      )}
    </div>
  );
}
