import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSummaryIndex } from '../../entrypoints/background/summary-index';
import type { LaunchSummary } from '../../utils/launch/summary';
import { applySummaryChanges } from '../../utils/launch/summary-changes';
import type { SummaryChanges } from '../../utils/messages/launches';
import { summary } from '../fixtures/launches/summary';

const ids = (list: readonly LaunchSummary[]) => list.map((s) => s.id);

/** The summaries the worker hands over for what `launches/summaries` would answer, and what changed. */
describe('summary index', () => {
  const a = summary('a', 3);
  const b = summary('b', 2);
  const c = summary('c', 1);

  it('answers the whole list to a page that holds no version', () => {
    const index = createSummaryIndex('w1');
    index.update([a, b]);
    expect(index.changes()).toEqual({ epoch: 'w1', version: 1, full: true, upserted: [a, b], removed: [] });
  });

  it('answers new launches, and the order because it moved', () => {
    const index = createSummaryIndex('w1');
    index.update([a]);
    index.update([a, c]);
    index.update([a, b, c]);
    const changes = index.changes('w1', 1);
    expect(changes).toMatchObject({ version: 3, full: false, removed: [], order: ['a', 'b', 'c'] });
    expect(changes.upserted).toEqual([b, c]);
    expect(index.changes('w1', 2).upserted).toEqual([b]);
  });

  it('answers a changed summary without the order when the ids did not move', () => {
    const index = createSummaryIndex('w1');
    index.update([a, b]);
    const b2 = summary('b', 2, 'r1');
    index.update([a, b2]);
    expect(index.changes('w1', 1)).toEqual({
      epoch: 'w1',
      version: 2,
      full: false,
      upserted: [b2],
      removed: [],
    });
  });

  it('takes the same objects as no change: no new version, nothing to send', () => {
    const index = createSummaryIndex('w1');
    index.update([a, b]);
    index.update([a, b]);
    index.update([a, b]);
    expect(index.changes('w1', 1)).toEqual({
      epoch: 'w1',
      version: 1,
      full: false,
      upserted: [],
      removed: [],
    });
    // Equal data in another object is a change: identity is what the analyzed cache keeps.
    index.update([a, summary('b', 2)]);
    expect(index.changes('w1', 1).upserted.map((s) => s.id)).toEqual(['b']);
  });

  it('answers removed launches as removed, and one added again as upserted', () => {
    const index = createSummaryIndex('w1');
    index.update([a, b, c]);
    index.update([a, c]);
    expect(index.changes('w1', 1)).toEqual({
      epoch: 'w1',
      version: 2,
      full: false,
      upserted: [],
      removed: ['b'],
      order: ['a', 'c'],
    });
    index.update([a, b, c]);
    expect(index.changes('w1', 1)).toMatchObject({ upserted: [b], removed: [], order: ['a', 'b', 'c'] });
    expect(index.changes('w1', 2)).toMatchObject({ upserted: [b], removed: [] });
  });

  it('answers the whole list to a page further behind than the remembered removals reach', () => {
    const index = createSummaryIndex('w1', 2);
    index.update([a, b, c]); // 1
    index.update([b, c]); // 2: a removed
    index.update([c]); // 3: b removed
    expect(index.changes('w1', 1)).toMatchObject({ full: false, removed: ['a', 'b'] });
    index.update([]); // 4: c removed, a forgotten
    expect(index.changes('w1', 1)).toMatchObject({ version: 4, full: true, upserted: [] });
    // A page that saw a's removal still gets a delta.
    expect(index.changes('w1', 2)).toMatchObject({ full: false, removed: ['b', 'c'] });
    expect(index.changes('w1', 3)).toMatchObject({ full: false, removed: ['c'] });
  });

  it('answers the whole list to a version of another worker run, or one it never gave', () => {
    const index = createSummaryIndex('w2');
    index.update([a, b]);
    index.update([a, b, c]);
    // A page that read version 1 from the worker before a restart: same number, another list.
    expect(index.changes('w1', 1)).toMatchObject({
      epoch: 'w2',
      version: 2,
      full: true,
      upserted: [a, b, c],
    });
    expect(index.changes('w2', 3)).toMatchObject({ full: true });
    expect(index.changes(undefined, 1)).toMatchObject({ full: true });
  });

  it('answers pages at different versions each what they miss, reads and changes interleaved', () => {
    const index = createSummaryIndex('w1');
    const p = page();
    const q = page();
    p.read(index.changes());
    q.read(index.changes());
    index.update([a]);
    p.read(index.changes('w1', p.version));
    index.update([b, a]);
    const a2 = summary('a', 3, 'r2');
    index.update([b, a2]);
    q.read(index.changes('w1', q.version));
    index.update([b]);
    p.read(index.changes('w1', p.version));
    expect(ids(p.list)).toEqual(['b']);
    expect(ids(q.list)).toEqual(['b', 'a']);
    expect(q.list[1]).toEqual(a2);
    q.read(index.changes('w1', q.version));
    expect(q.list).toEqual([b]);
    expect(p.list).toEqual([b]);
  });
});

/** A page's list, as the log page holds it between reads. */
function page() {
  const held = {
    list: [] as readonly LaunchSummary[],
    version: 0,
    read(changes: SummaryChanges) {
      // A copy, as runtime messaging delivers it.
      held.list = applySummaryChanges(held.list, structuredClone(changes));
      held.version = changes.version;
    },
  };
  return held;
}

/**
 * Random histories of the worker's analyses (launches arrive, change, stay the same object, are removed,
 * come back, move in the order) read by pages at random moments: each page's list after applying the
 * changes is exactly what reading every summary gives at that moment.
 */
describe('summary changes applied by a page', () => {
  const step = fc.record({
    // Per id of a small pool: absent, kept as is, or a new object (same or other data).
    edits: fc.array(fc.constantFrom('absent', 'keep', 'same-data', 'changed'), {
      minLength: 6,
      maxLength: 6,
    }),
    /** New start times for changed ones (ties happen: the list order is the worker's, not a sort). */
    starts: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 6, maxLength: 6 }),
    shuffle: fc.boolean(),
    /** Which pages read after this analysis. */
    readers: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  });

  it('gives the same list as the whole list each time, keeping the objects of unchanged summaries', () => {
    let deltas = 0;
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        (steps, maxTombstones) => {
          const index = createSummaryIndex('w', maxTombstones);
          let current: LaunchSummary[] = [];
          let revision = 0;
          const pages = [0, 1, 2].map(() => ({
            list: [] as readonly LaunchSummary[],
            version: -1,
            epoch: '',
          }));
          for (const { edits, starts, shuffle, readers } of steps) {
            const byId = new Map(current.map((s) => [s.id, s]));
            const next: LaunchSummary[] = [];
            edits.forEach((edit, i) => {
              const id = `launch:${i}`;
              const old = byId.get(id);
              if (edit === 'absent') return;
              if (edit === 'keep' && old) next.push(old);
              else if (edit === 'same-data' && old) next.push({ ...old });
              else next.push(summary(id, starts[i]!, `r${revision++}`));
            });
            next.sort((x, y) => y.startedAt - x.startedAt);
            if (shuffle) next.reverse();
            current = next;
            index.update(current);
            readers.forEach((reads, p) => {
              if (!reads) return;
              const page = pages[p]!;
              const changes = structuredClone(
                page.version < 0 ? index.changes() : index.changes(page.epoch, page.version),
              );
              const before = new Map(page.list.map((s) => [s.id, s]));
              if (!changes.full) deltas++;
              page.list = applySummaryChanges(page.list, changes);
              page.version = changes.version;
              page.epoch = changes.epoch;
              expect(page.list).toEqual(current);
              // A summary equal to the one the page held is still that object (its row does not render).
              for (const s of page.list) {
                const held = before.get(s.id);
                if (held && JSON.stringify(held) === JSON.stringify(s)) expect(s).toBe(held);
              }
            });
          }
        },
      ),
    );
    // Not the whole list every time: the changes themselves were applied.
    expect(deltas).toBeGreaterThan(100);
  });

  it('refuses changes that do not fit the list held, so the page reads the whole list', () => {
    const held = [summary('a', 1)];
    const changes = { epoch: 'w', version: 2, full: false, upserted: [], removed: [], order: ['a', 'b'] };
    expect(() => applySummaryChanges(held, changes)).toThrow(/out of step/);
  });
});
