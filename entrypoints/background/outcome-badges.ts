import { type TabOutcome, tabOutcomes } from '../../utils/launch/tab-outcome';
import type { Launch } from '../../utils/model';

/** Tab marks follow the launches this long after the last change (one analysis per burst of events). */
export const OUTCOME_DELAY_MS = 500;

/**
 * Keeps each tab's toolbar mark in step with the outcome of its newest launch: after a burst of recorded
 * changes, re-reads the launches once and shows what changed (a tab that failed, a tab that recovered).
 */
export function createOutcomeBadges(
  list: () => Promise<Launch[]>,
  show: (tabId: number, outcome: TabOutcome) => Promise<void>,
  onError: (error: unknown) => void,
) {
  const shown = new Map<number, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = async () => {
    timer = undefined;
    for (const [tabId, outcome] of tabOutcomes(await list())) {
      const key = JSON.stringify(outcome);
      if (shown.get(tabId) === key) continue;
      // A tab seen for the first time with a good outcome keeps the badge it has.
      if (!shown.has(tabId) && !outcome.failed) {
        shown.set(tabId, key);
        continue;
      }
      shown.set(tabId, key);
      await show(tabId, outcome);
    }
  };
  return {
    schedule(): void {
      timer ??= setTimeout(() => void update().catch(onError), OUTCOME_DELAY_MS);
    },
    /** Runs a pending update now (tests). */
    flush: () => {
      if (timer) clearTimeout(timer);
      return update();
    },
  };
}
