import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from 'react';
import type { LaunchSummary } from '../../utils/launch/summary';
import { allHosts, type LaunchFilter, matchesFilter, NO_FILTER, visibleLaunches } from './filter';
import { LaunchFilters } from './LaunchFilters';
import { LaunchRow } from './LaunchRow';

interface Props {
  launches: readonly LaunchSummary[];
  /** The ids of the launches whose decoded values match a query (answered by the background). */
  search: (query: string) => Promise<string[]>;
  selectedId?: string;
  onSelect: (id: string) => void;
  /** Initial filter (the list owns filter state afterwards). */
  initialFilter?: LaunchFilter;
  /** The DevTools panel's inspected tab: offers "This tab only". */
  inspectedTabId?: number;
}

/** Fixed for virtualization: a title line and up to two lines of time, duration and failing step. */
const ROW_HEIGHT = 64;

const optionId = (id: string) => `sld-launch-${id}`;
/** Typing pauses this long before the background is asked. */
const SEARCH_DELAY_MS = 120;

/**
 * The ids matching `query`, asked again when the list changed (a new launch may match). The previous
 * answer stays until the next one arrives, so rows do not flicker while typing.
 */
function useSearch(
  query: string,
  launches: readonly LaunchSummary[],
  search: Props['search'],
): ReadonlySet<string> | undefined {
  const [matching, setMatching] = useState<ReadonlySet<string>>();
  const trimmed = query.trim();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a changed list is a reason to ask again
  useEffect(() => {
    if (!trimmed) return setMatching(undefined);
    let current = true;
    const timer = setTimeout(() => {
      search(trimmed).then(
        (ids) => current && setMatching(new Set(ids)),
        // A failed search hides nothing: the list shows every launch the other filters allow.
        () => current && setMatching(undefined),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [trimmed, launches, search]);
  return trimmed ? matching : undefined;
}

/**
 * Newest-first, virtualized list of launches with filters. A listbox: arrow keys / Home / End move the
 * active option, Enter or Space selects it; only the rows in view are in the DOM. Memoized: the log
 * renders again for the open launch, notices and settings, none of which the list shows.
 */
export const LaunchList = memo(function LaunchList({
  launches,
  search,
  selectedId,
  onSelect,
  initialFilter = NO_FILTER,
  inspectedTabId,
}: Props) {
  const [filter, setFilter] = useState(initialFilter);
  const matching = useSearch(filter.query, launches, search);
  const visible = useMemo(() => visibleLaunches(launches, filter, matching), [launches, filter, matching]);
  const hosts = useMemo(() => allHosts(launches), [launches]);
  const [activeIndex, setActiveIndex] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });

  // Keep the active option inside the list when the filter shrinks it.
  useEffect(() => {
    if (activeIndex >= visible.length) setActiveIndex(Math.max(0, visible.length - 1));
  }, [visible.length, activeIndex]);

  const moveTo = (index: number) => {
    const next = Math.min(Math.max(index, 0), visible.length - 1);
    if (next < 0) return;
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT));
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const launch = visible[activeIndex];
      if (launch) onSelect(launch.id);
      return;
    }
    const targets: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: visible.length - 1,
    };
    const target = targets[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    }
  };

  const active = visible[activeIndex];
  return (
    <section className="sld-list" aria-label="Launches">
      <LaunchFilters
        filter={filter}
        hosts={hosts}
        shown={visible.length}
        total={launches.length}
        onChange={setFilter}
        inspectedTabId={inspectedTabId}
      />
      {visible.length === 0 ? (
        <p className="sld-empty">
          {launches.length === 0
            ? 'No launches recorded yet.'
            : filter.tabId !== undefined &&
                launches.some((l) => matchesFilter(l, { ...filter, tabId: undefined }, matching))
              ? 'No launch in this tab yet. Untick "This tab only" to see launches from other tabs.'
              : 'No launch matches these filters.'}
        </p>
      ) : (
        <div
          ref={scrollRef}
          className="sld-list-scroll"
          role="listbox"
          tabIndex={0}
          aria-label="Recorded launches, newest first"
          aria-activedescendant={active ? optionId(active.id) : undefined}
          onKeyDown={onKeyDown}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const launch = visible[item.index]!;
              return (
                // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the listbox (aria-activedescendant)
                <div
                  key={launch.id}
                  id={optionId(launch.id)}
                  tabIndex={-1}
                  role="option"
                  aria-selected={launch.id === selectedId}
                  data-active={item.index === activeIndex || undefined}
                  data-status={launch.status}
                  className="sld-row"
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => {
                    setActiveIndex(item.index);
                    onSelect(launch.id);
                  }}
                >
                  <LaunchRow launch={launch} />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
});
