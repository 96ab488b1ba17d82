import type { DecodedParam, Launch, LaunchStatus } from '../../utils/model';
import { splitUrl } from './format';

/** Filtering and free-text search of the launch list. Pure; no DOM. */

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

/** The tabs a launch ran in, plus the tabs that opened them (an EHR opening the app in a new tab). */
export function tabsOfLaunch(launch: Launch): Set<number> {
  const tabs = new Set<number>();
  for (const step of launch.steps) {
    if (step.exchange.tabId >= 0) tabs.add(step.exchange.tabId);
    if (step.exchange.openerTabId !== undefined) tabs.add(step.exchange.openerTabId);
  }
  return tabs;
}

/** Hosts a launch touched; the host filter matches any of them. */
export function hostsOfLaunch(launch: Launch): Set<string> {
  const hosts = new Set<string>();
  for (const step of launch.steps) {
    const host = step.decoded?.host ?? splitUrl(step.exchange.url).host;
    if (host) hosts.add(host);
  }
  if (launch.authHost) hosts.add(launch.authHost);
  return hosts;
}

export function allHosts(launches: readonly Launch[]): string[] {
  const hosts = new Set<string>();
  for (const launch of launches) for (const host of hostsOfLaunch(launch)) hosts.add(host);
  return [...hosts].sort();
}

function pushParams(params: readonly DecodedParam[], into: string[]): void {
  for (const param of params) {
    into.push(param.name, param.value);
    if (param.nested) pushParams(param.nested.params, into);
  }
}

// Search text is built once per launch object; launches are immutable snapshots from the background.
const searchTextCache = new WeakMap<Launch, string>();

/** Everything a user may type to find a launch: identifiers, decoded parameters (nested too), findings. */
export function searchTextOf(launch: Launch): string {
  const cached = searchTextCache.get(launch);
  if (cached !== undefined) return cached;
  const parts: string[] = [
    launch.clientId ?? '',
    launch.persona ?? '',
    launch.tenant ?? '',
    launch.iss ?? '',
    launch.redirectUri ?? '',
    launch.launchParam ?? '',
    launch.state ?? '',
    launch.imported?.fileName ?? '',
  ];
  for (const finding of launch.findings) {
    parts.push(finding.title, finding.ruleId);
    for (const evidence of finding.evidence) parts.push(evidence.value);
  }
  for (const step of launch.steps) {
    parts.push(step.label, step.exchange.url, step.exchange.responseHeaders['cerner-correlation-id'] ?? '');
    if (step.decoded) pushParams(step.decoded.params, parts);
    for (const [name, values] of Object.entries(step.exchange.form ?? {})) parts.push(name, ...values);
  }
  const text = parts.join('\n').toLowerCase();
  searchTextCache.set(launch, text);
  return text;
}

export function matchesFilter(launch: Launch, filter: LaunchFilter): boolean {
  if (filter.status !== 'all' && launch.status !== filter.status) return false;
  if (filter.tabId !== undefined && !launch.imported && !tabsOfLaunch(launch).has(filter.tabId)) return false;
  if (filter.host && !hostsOfLaunch(launch).has(filter.host)) return false;
  const query = filter.query.trim().toLowerCase();
  if (!query) return true;
  const text = searchTextOf(launch);
  return query.split(/\s+/).every((word) => text.includes(word));
}

/** Newest first; the sort is stable so launches started in the same millisecond keep their order. */
export function visibleLaunches(launches: readonly Launch[], filter: LaunchFilter): Launch[] {
  return launches.filter((l) => matchesFilter(l, filter)).sort((a, b) => b.startedAt - a.startedAt);
}
