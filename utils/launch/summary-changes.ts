import type { SummaryChanges } from '../messages/launches';
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
