import type { DecodedParam, Launch } from '../model';

/**
 * Free-text search over everything a user may type to find a launch. It runs where the full launches
 * are (the background), so list pages hold only summaries and ask for the ids that match.
 */

/** Longest query accepted: longer text matches nothing a user typed by hand. */
export const MAX_SEARCH_QUERY = 500;

function pushParams(params: readonly DecodedParam[], into: string[]): void {
  for (const param of params) {
    into.push(param.name, param.value);
    if (param.nested) pushParams(param.nested.params, into);
  }
}

// Built once per launch object; analyzed launches are immutable snapshots kept until the next change.
const searchTextCache = new WeakMap<Launch, string>();

/** Identifiers, decoded parameters (nested `to=` URLs too), form fields, findings and their evidence. */
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

/** Every word of the query (case-insensitive) appears somewhere in the launch. An empty query matches all. */
export function matchesQuery(launch: Launch, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = searchTextOf(launch);
  return words.every((word) => text.includes(word));
}

/** The ids of the launches that match, in their order. */
export function searchLaunches(launches: readonly Launch[], query: string): string[] {
  return launches.filter((l) => matchesQuery(l, query)).map((l) => l.id);
}
