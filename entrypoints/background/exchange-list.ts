import type { Change } from '../../utils/capture';
import type { Exchange } from '../../utils/model';

/**
 * The exchanges of a capture state as an array, kept in step with the reducer's change sets, for the
 * analysis of every read. `Object.values()` of the state's table (thousands of keys, in dictionary
 * mode) took 2.2 ms at 4,300 exchanges on every read (docs/benchmarks.md); following the changes
 * costs a map lookup per changed exchange, and a read copies an array.
 *
 * Removed exchanges leave a hole, skipped when the array is read, and the holes are squeezed out once
 * they are a quarter of it: a removal (a navigation record folded into its request, retention) moves
 * nothing else.
 */
export function createExchangeList() {
  let slots: (Exchange | undefined)[] = [];
  /** Where each exchange id is in `slots`. */
  let at = new Map<string, number>();
  let holes = 0;

  function drop(id: string): void {
    const i = at.get(id);
    if (i === undefined) return;
    at.delete(id);
    slots[i] = undefined;
    holes++;
  }

  /** The exchanges in `slots`, holes left out. */
  function present(): Exchange[] {
    const out: Exchange[] = [];
    for (const ex of slots) if (ex) out.push(ex);
    return out;
  }

  /** `from` as the whole list, without holes. */
  function start(from: Exchange[]): void {
    slots = from;
    at = new Map(from.map((ex, i) => [ex.id, i]));
    holes = 0;
  }

  return {
    /** Starts again from every exchange of `exchanges` (a state loaded, replaced or cleared). */
    reset(exchanges: Record<string, Exchange>): void {
      start(Object.values(exchanges));
    },
    /** Follows `change`, made to `exchanges` (the state's table after it). */
    update(exchanges: Record<string, Exchange>, change: Change): void {
      for (const id of change.removed) drop(id);
      for (const id of change.upserted) {
        const ex = exchanges[id];
        if (!ex) {
          drop(id);
          continue;
        }
        const i = at.get(id);
        if (i === undefined) {
          at.set(id, slots.length);
          slots.push(ex);
        } else slots[i] = ex;
      }
      if (holes > 64 && holes * 4 > slots.length) start(present());
    },
    /** Every exchange, in a new array (in no particular order: analysis sorts them). */
    values(): Exchange[] {
      return holes === 0 ? (slots.slice() as Exchange[]) : present();
    },
  };
}
