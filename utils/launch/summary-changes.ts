import type { PushedChanges, SummaryChanges } from '../messages/launches';
import { keepUnchanged, sameData } from '../same-data';
import type { LaunchSummary } from './summary';

/** An answer that does not fit the list the page holds (two reads answered out of order, say). */
export class SummariesOutOfStep extends Error {
  constructor() {
    super('the list of launches is out of step');
    this.name = 'SummariesOutOfStep';
  }
}

/**
 * The page's list after `changes` (a `launches/changes` answer for the version `list` is at): the same
 * list, in the same order, as reading every summary would give. Summaries equal to the ones held keep
 * their object, so memoized rows do not render again; `list` itself when nothing changed.
 * Throws SummariesOutOfStep when the changes do not fit the list (the page then reads the whole list).
 */
export function applySummaryChanges(
  list: readonly LaunchSummary[],
  changes: SummaryChanges,
): readonly LaunchSummary[] {
  if (changes.full) return keepUnchanged(list, changes.upserted);
  if (changes.upserted.length === 0 && changes.removed.length === 0 && !changes.order) return list;
  const byId = new Map<string, LaunchSummary>();
  for (const s of list) byId.set(s.id, s);
  for (const id of changes.removed) byId.delete(id);
  for (const s of changes.upserted) {
    const old = byId.get(s.id);
    byId.set(s.id, old && sameData(old, s) ? old : s);
  }
  // Without `order` the ids and their order did not move.
  const ids = changes.order ?? list.map((s) => s.id);
  if (ids.length !== byId.size) throw new SummariesOutOfStep();
  let same = ids.length === list.length;
  const out = ids.map((id, i) => {
    const summary = byId.get(id);
    if (!summary) throw new SummariesOutOfStep();
    if (summary !== list[i]) same = false;
    return summary;
  });
  return same ? list : out;
}

/** The version of the summaries a page holds, to ask the background only for what changed since. */
export interface SummaryVersion {
  epoch: string;
  version: number;
}

/** What a page calls to keep its list in step: see followSummaries(). */
export interface SummaryFollower {
  /** Reads what changed since the version held (everything the first time). */
  refresh(): Promise<void>;
  /** Takes changes a notice carried: applied when they fit the version held, else read. */
  push(changes: PushedChanges): void;
  /** Cancels the read planned for a launch's reviewAt, until the next refresh (the page goes away). */
  stop(): void;
}

/** A read planned for a reviewAt comes this long after it, and never sooner than REVIEW_MIN_WAIT_MS. */
const REVIEW_SLACK_MS = 250;
const REVIEW_MIN_WAIT_MS = 1_000;

/**
 * Keeps a page's list of summaries in step with the background by reading only what changed (the log
 * and the popup). `refresh` reads: one read at a time, and changes announced during a read are covered
 * by one more read after it. `push` takes the changes a notice carried (everything after version `from`):
 * a page holding `from` or a later version of the same worker run applies them without reading (upserting
 * a summary that did not change since the page's version changes nothing); a page further behind, or
 * holding another run's version, reads. Changes pushed during a read wait for it and then go the same
 * way. Changes that do not fit the list make the next read take the whole list, without a fault to
 * report; any other failure goes to `failed`, and the next read takes the whole list too. `settled` runs
 * after every read or applied push, whatever its outcome. A list with a launch in progress is read again
 * at its reviewAt, when its status may change with no event (until `stop`).
 */
export function followSummaries(
  read: (since: SummaryVersion | undefined) => Promise<SummaryChanges>,
  on: {
    list(next: readonly LaunchSummary[]): void;
    failed(error: unknown): void;
    settled?(): void;
  },
): SummaryFollower {
  let held: { list: readonly LaunchSummary[]; since?: SummaryVersion } = { list: [] };
  let reading: { again: boolean; pushed: PushedChanges[] } | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * A launch in progress may change status with no event to announce it (it settles, or is given up):
   * the list is read again at the earliest reviewAt it holds.
   */
  const planReview = (list: readonly LaunchSummary[]): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    let due = Number.POSITIVE_INFINITY;
    for (const summary of list)
      if (summary.reviewAt !== undefined && summary.reviewAt < due) due = summary.reviewAt;
    if (stopped || due === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void refresh();
      },
      Math.max(REVIEW_MIN_WAIT_MS, due - Date.now() + REVIEW_SLACK_MS),
    );
  };

  /**
   * Applies changes answered for (or pushed after) the version held. False when they did not fit: the
   * page then holds no version, so its next read takes the whole list. Other failures throw, and leave
   * no version held either.
   */
  const apply = (changes: SummaryChanges): boolean => {
    try {
      // Summaries that did not change keep their object, so their rows are not rendered again.
      const next = applySummaryChanges(held.list, changes);
      held = { list: next, since: { epoch: changes.epoch, version: changes.version } };
      on.list(next);
      planReview(next);
      return true;
    } catch (error) {
      held = { list: held.list };
      if (error instanceof SummariesOutOfStep) return false;
      throw error;
    }
  };

  const refresh = async (): Promise<void> => {
    stopped = false;
    if (reading) {
      reading.again = true;
      return;
    }
    const current: { again: boolean; pushed: PushedChanges[] } = { again: false, pushed: [] };
    reading = current;
    try {
      if (!apply(await read(held.since))) current.again = true;
    } catch (error) {
      held = { list: held.list };
      on.failed(error);
    } finally {
      on.settled?.();
      reading = undefined;
      if (current.again) void refresh();
      else for (const changes of current.pushed) push(changes);
    }
  };

  const push = (changes: PushedChanges): void => {
    if (reading) {
      reading.pushed.push(changes);
      return;
    }
    const since = held.since;
    if (since && since.epoch === changes.epoch && changes.from <= since.version) {
      // Nothing the page does not hold yet (a read answered after the notice was made).
      if (changes.version <= since.version) return;
      try {
        if (apply(changes)) return;
      } catch (error) {
        on.failed(error);
        return;
      } finally {
        on.settled?.();
      }
    }
    void refresh();
  };

  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  return { refresh, push, stop };
}
