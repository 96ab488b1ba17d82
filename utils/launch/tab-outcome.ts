import type { Launch } from '../model';

/** What the toolbar shows for one tab: whether its newest launch failed, and why in a few words. */
export interface TabOutcome {
  failed: boolean;
  cause?: string;
}

/**
 * The newest launch of each tab decides that tab's mark. `launches` may come in any order; a launch
 * belongs to every tab one of its steps ran in (a popup launch spans its opener and the popup).
 */
export function tabOutcomes(launches: readonly Launch[]): Map<number, TabOutcome> {
  const newest = new Map<number, Launch>();
  for (const launch of launches) {
    if (launch.imported) continue;
    for (const step of launch.steps) {
      const tab = step.exchange.tabId;
      if (tab < 0) continue;
      const seen = newest.get(tab);
      if (!seen || seen.startedAt < launch.startedAt) newest.set(tab, launch);
    }
  }
  const out = new Map<number, TabOutcome>();
  for (const [tab, launch] of newest) {
    if (launch.status !== 'failed') {
      out.set(tab, { failed: false });
      continue;
    }
    const cause = launch.statusReason ?? launch.findings.find((f) => f.severity === 'error')?.title;
    out.set(tab, cause ? { failed: true, cause } : { failed: true });
  }
  return out;
}
