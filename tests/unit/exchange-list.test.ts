import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createExchangeList } from '../../entrypoints/background/exchange-list';
import { type CaptureEvent, newChange } from '../../utils/capture';
import type { Exchange } from '../../utils/model';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';
import { newRecorder } from '../fixtures/capture/recorder';

/** The recorder analyzes its exchanges as an array that follows the change sets, not Object.values(). */

const exchange = (id: string, n: number): Exchange =>
  ({ id, url: `https://fhir.example/r4/Patient/${n}` }) as unknown as Exchange;

/** Steps of the table's life: what the reducer does, and the change set it reports. */
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('upsert' as const), id: fc.nat(300), fresh: fc.boolean() }),
    fc.record({ op: fc.constant('remove' as const), id: fc.nat(300) }),
    // Reported as upserted while no longer in the table (the record store reads that as removed).
    fc.record({ op: fc.constant('vanish' as const), id: fc.nat(300) }),
    fc.record({ op: fc.constant('reset' as const) }),
  ),
  { maxLength: 600 },
);

const ids = (xs: readonly Exchange[]) => xs.map((x) => x.id).sort();

describe('exchange list', () => {
  it('holds exactly the objects of the table after any sequence of changes', () => {
    fc.assert(
      fc.property(ops, (steps) => {
        const table: Record<string, Exchange> = {};
        const list = createExchangeList();
        let n = 0;
        for (const step of steps) {
          const change = newChange();
          if (step.op === 'reset') {
            list.reset(table);
            continue;
          }
          const id = `x${step.id}`;
          if (step.op === 'upsert') {
            // Either the same object edited in place or a new object under the same id.
            if (step.fresh || !table[id]) table[id] = exchange(id, n++);
            change.upserted.add(id);
          } else if (step.op === 'remove') {
            delete table[id];
            change.removed.add(id);
          } else {
            delete table[id];
            change.upserted.add(id);
          }
          list.update(table, change);
          const values = list.values();
          expect(ids(values)).toEqual(Object.keys(table).sort());
          for (const ex of values) expect(ex).toBe(table[ex.id]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('hands out a new array each time: an analysis cannot see later changes', () => {
    const table: Record<string, Exchange> = { a: exchange('a', 1) };
    const list = createExchangeList();
    list.reset(table);
    const first = list.values();
    table.b = exchange('b', 2);
    const change = newChange();
    change.upserted.add('b');
    list.update(table, change);
    expect(ids(first)).toEqual(['a']);
    expect(ids(list.values())).toEqual(['a', 'b']);
  });
});

describe('recorder reads follow the change sets', () => {
  beforeEach(() => fakeBrowser.reset());

  const outline = (launches: Awaited<ReturnType<ReturnType<typeof newRecorder>['list']>>) =>
    JSON.stringify(
      launches.map((l) => [l.status, l.steps.map((s) => `${s.exchange.id} ${s.exchange.phase}`)]),
    );

  it('reads after every event as a recorder restarted from the records does', async () => {
    // Three launches in one tab: navigation records are folded into their requests (removals) as they go.
    const events: CaptureEvent[] = [1000, 40_000, 80_000].flatMap((at, i) =>
      ehrLaunchEvents(at, `Qx7secretAuthorizationCode${i}0123456789`, `${i}`),
    );
    const rec = newRecorder({ now: () => 100_000 });
    for (const e of events) {
      rec.ingest(e);
      const live = outline(await rec.list());
      await rec.flush();
      const again = newRecorder({ now: () => 100_000 });
      expect(outline(await again.list())).toBe(live);
    }
    expect(JSON.parse(outline(await rec.list()))).toHaveLength(3);
    // Retention removes the oldest launch's exchanges.
    await rec.setSettings({ ...(await rec.getSettings()), maxLaunches: 2 });
    const kept = outline(await rec.list());
    expect(JSON.parse(kept)).toHaveLength(2);
    expect(kept).not.toContain('webRequest:0-');
    expect(outline(await newRecorder({ now: () => 100_000 }).list())).toBe(kept);
  });
});
