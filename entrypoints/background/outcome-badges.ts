import { classify } from '../../utils/launch/classify';
import { type TabOutcome, tabOutcomes } from '../../utils/launch/tab-outcome';
import type { Exchange, Launch } from '../../utils/model';

/** Tab marks follow the launches this long after the last change (one analysis per burst of events). */
export const OUTCOME_DELAY_MS = 500;

/** A FHIR read still running or answered without an error: most of a launch's traffic. */
function isQuietRead(ex: Exchange): boolean {
  return (
    ex.method.toUpperCase() === 'GET' &&
    !ex.error &&
    ex.phase !== 'failed' &&
    (ex.status === undefined || ex.status < 400) &&
    classify(ex).kind === 'fhir'
  );
}

/**
 * Whether a recorded change can alter a tab's outcome, and so is worth analyzing every launch again for:
 * any step of the authorization flow (launch, discovery, authorize, login, session-api, callback,
 * token…), any failure, any removal. FHIR reads that went through neither start a launch
 * (utils/launch/correlate.ts) nor make one fail (a refused one can: utils/launch/status.ts); one that
 * joins a launch settled as failed long ago makes it unsettled again, which the mark then shows only with
 * the next change that passes here.
 */
export function mayChangeOutcome(change: {
  upserted: readonly Exchange[];
  removed: readonly string[];
}): boolean {
  return change.removed.length > 0 || !change.upserted.every(isQuietRead);
}

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
