import type { LaunchSummary } from '../../utils/launch/summary';
import type { SummaryChanges } from '../../utils/messages/launches';

/** Removed launches remembered for deltas; a page further behind than these cover gets the whole list. */
export const MAX_TOMBSTONES = 500;

/**
 * Versions over the summaries of successive analyses, so a page reads only what changed since the
 * version it holds instead of every summary on every change. A summary counts as changed when it is
 * another object: the analyzed cache keeps the launch object of every launch that came out the same and
 * summaryOf() one summary per launch object (entrypoints/background/analyzed-cache.ts), so identity is
 * enough and nothing is compared.
 *
 * `epoch` names this run of the worker: versions start again in a restarted worker, so a version
 * asked for with another epoch gets the whole list, never a delta against the wrong list.
 */
export function createSummaryIndex(epoch: string, maxTombstones = MAX_TOMBSTONES) {
  let version = 0;
  /** The latest summaries, in list order. */
  let list: readonly LaunchSummary[] = [];
  /** Per id: the version at which its summary object last changed. */
  const changedAt = new Map<string, number>();
  /** Removed ids, oldest first. */
  const tombstones: { id: string; version: number }[] = [];
  /** Deltas are exact from this version on: removals before it are forgotten. */
  let coveredFrom = 0;
  /** The version at which the ids or their order last changed. */
  let orderedAt = 0;

  return {
    /** The version of the latest summaries taken. */
    version: (): number => version,

    /** Takes the summaries of one analysis, in list order; a new version only if anything changed. */
    update(next: readonly LaunchSummary[]): void {
      const at = version + 1;
      let changed = false;
      const previous = new Map<string, LaunchSummary>();
      for (const s of list) previous.set(s.id, s);
      let reordered = next.length !== list.length;
      for (let i = 0; i < next.length; i++) {
        const summary = next[i]!;
        if (previous.get(summary.id) !== summary) {
          changedAt.set(summary.id, at);
          changed = true;
        }
        if (list[i]?.id !== summary.id) reordered = true;
        previous.delete(summary.id);
      }
      // What is left was removed.
      for (const id of previous.keys()) {
        changedAt.delete(id);
        tombstones.push({ id, version: at });
      }
      if (tombstones.length > maxTombstones) {
        const dropped = tombstones.splice(0, tombstones.length - maxTombstones);
        coveredFrom = dropped[dropped.length - 1]!.version;
      }
      if (reordered) orderedAt = at;
      if (changed || reordered) version = at;
      list = next;
    },

    /** What changed after `since` of `sinceEpoch`; the whole list when that cannot be told exactly. */
    changes(sinceEpoch?: string, since?: number): SummaryChanges {
      if (sinceEpoch !== epoch || since === undefined || since < coveredFrom || since > version) {
        return { epoch, version, full: true, upserted: [...list], removed: [] };
      }
      const upserted = list.filter((s) => changedAt.get(s.id)! > since);
      const removed = new Set<string>();
      for (const t of tombstones) {
        // An id removed and added again is in `upserted` (and `order`).
        if (t.version > since && !changedAt.has(t.id)) removed.add(t.id);
      }
      const changes: SummaryChanges = { epoch, version, full: false, upserted, removed: [...removed] };
      if (orderedAt > since) changes.order = list.map((s) => s.id);
      return changes;
    },
  };
}
