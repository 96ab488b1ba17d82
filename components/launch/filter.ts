import type { LaunchSummary } from '../../utils/launch/summary';
import type { LaunchStatus } from '../../utils/model';

/**
 * Filtering of the launch list, on summaries. Pure; no DOM. The free-text search runs in the background
 * (it needs every decoded value); the list passes the ids it answered.
 */

export interface LaunchFilter {
  status: LaunchStatus | 'all';
  /** Empty string means every host. */
  host: string;
  query: string;
  /**
   * Only launches that ran in this browser tab or in a tab it opened (the DevTools panel's inspected tab).
   * Imported launches always pass: they belong to no tab, and were brought in on purpose.
   */
  tabId?: number;
}

export const NO_FILTER: LaunchFilter = { status: 'all', host: '', query: '' };

export function allHosts(launches: readonly LaunchSummary[]): string[] {
  const hosts = new Set<string>();
  for (const launch of launches) {
    if (launch.server) hosts.add(launch.server);
    for (const host of launch.hosts) hosts.add(host);
  }
  return [...hosts].sort();
}

function inTab(launch: LaunchSummary, tabId: number): boolean {
  return launch.tabIds.includes(tabId) || !!launch.openerTabIds?.includes(tabId);
}

/**
 * `matching`: the ids the background found for `filter.query`; ignored for an empty query. Undefined
 * while the first answer is on its way: nothing is hidden on a guess.
 */
export function matchesFilter(
  launch: LaunchSummary,
  filter: LaunchFilter,
  matching?: ReadonlySet<string>,
): boolean {
  if (filter.status !== 'all' && launch.status !== filter.status) return false;
  if (filter.tabId !== undefined && !launch.imported && !inTab(launch, filter.tabId)) return false;
  if (filter.host && launch.server !== filter.host && !launch.hosts.includes(filter.host)) return false;
  if (!filter.query.trim() || !matching) return true;
  return matching.has(launch.id);
}

/** Newest first; the sort is stable so launches started in the same millisecond keep their order. */
export function visibleLaunches(
  launches: readonly LaunchSummary[],
  filter: LaunchFilter,
  matching?: ReadonlySet<string>,
): LaunchSummary[] {
  return launches.filter((l) => matchesFilter(l, filter, matching)).sort((a, b) => b.startedAt - a.startedAt);
}
