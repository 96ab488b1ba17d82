import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { correlationRuns } from '../../utils/launch/correlate';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import { fixtureNames, loadExchanges } from '../fixtures/load';

/**
 * correlate() starts from a checkpoint of an earlier run when the capture begins with the same
 * exchanges (utils/launch/correlate.ts). The reference for every check is the analysis of deep copies,
 * which no checkpoint can match: whatever the order of arrival and the edits, the two must agree.
 */
const json = (launches: Launch[]) => JSON.stringify(launches);
const cold = (exchanges: Exchange[]) => json(analyze(structuredClone(exchanges)));

/**
 * Every fixture's exchanges, fresh objects with unique ids, spread over a few tabs and overlapping in
 * time: each fixture starts `gap` ms after the previous one (fixtures last seconds to minutes).
 */
function capture(gap: number, names = fixtureNames()): Exchange[] {
  const out: Exchange[] = [];
  names.forEach((name, k) => {
    const list = loadExchanges(name);
    const first = Math.min(...list.map((e) => e.startedAt));
    const base = 1_800_000_000_000 + k * gap;
    for (const e of list) {
      out.push({
        ...structuredClone(e),
        id: `${k}-${e.id}`,
        ...(e.requestId ? { requestId: `${k}-${e.requestId}` } : {}),
        tabId: e.tabId < 0 ? e.tabId : 10 + (k % 3),
        startedAt: base + (e.startedAt - first),
        ...(e.completedAt === undefined ? {} : { completedAt: base + (e.completedAt - first) }),
      });
    }
  });
  return out.sort((a, b) => a.startedAt - b.startedAt || a.hop - b.hop);
}

/** A change in place, as the recorder makes them: the revision moves. */
function edit(ex: Exchange, change: Partial<Exchange>): void {
  Object.assign(ex, change);
  ex.revision = (ex.revision ?? 0) + 1;
}

describe('correlate: resuming from a checkpoint gives the same launches as correlating everything', () => {
  it('a capture growing in time order, its newest exchanges completing as more arrive', {
    timeout: 60_000,
  }, () => {
    // Every other fixture: each step is checked against a fresh analysis, twice.
    const all = capture(
      1_500,
      fixtureNames().filter((_, i) => i % 2 === 0),
    );
    const live: Exchange[] = [];
    let resumed = 0;
    let correlated = 0;
    for (const ex of all) {
      // Arrives pending, completes with the next arrival.
      const { completedAt, status, phase } = ex;
      live.push({ ...ex, phase: 'pending', status: undefined, completedAt: undefined });
      const from = correlationRuns.correlated;
      const resumedBefore = correlationRuns.resumed;
      const launches = json(analyze(live));
      correlated += correlationRuns.correlated - from;
      resumed += correlationRuns.resumed - resumedBefore;
      expect(launches).toBe(cold(live));
      const last = live[live.length - 1]!;
      edit(last, { phase, status, completedAt });
      expect(json(analyze(live))).toBe(cold(live));
    }
    // Most runs resumed, and correlated only a small part of the capture each time.
    expect(resumed).toBeGreaterThan(all.length * 0.8);
    const everything = (all.length * (all.length + 1)) / 2;
    expect(correlated).toBeLessThan(everything / 4);
  });

  it('a discovery document or an authorize request arriving late changes what came before', () => {
    // The kinds of earlier exchanges depend on what later ones declare (utils/launch/refine.ts): hold
    // back the exchanges that declare, then add them; the checkpoint must not be used past them.
    const all = capture(200);
    const declaring = (e: Exchange) => /well-known|authorize|\/auth\b/.test(e.url);
    const live = all.filter((e) => !declaring(e));
    expect(json(analyze(live))).toBe(cold(live));
    for (const ex of all.filter(declaring)) {
      live.push(ex);
      expect(json(analyze(live))).toBe(cold(live));
    }
  });

  it('a later request that changes the kind of one before the checkpoint is not resumed past', () => {
    // `/auth` looks like an authorize endpoint until an authorize request names it as its redirect URI.
    const app = 'https://app.test';
    const page = makeExchange({ id: 'page', url: `${app}/auth`, startedAt: 0 });
    const other = makeExchange({ id: 'other', url: `${app}/index.html`, startedAt: 5_000, tabId: 2 });
    const authorize = makeExchange({
      id: 'authorize',
      url: `https://as.test/oauth/authorize?response_type=code&client_id=c&scope=launch%2Fpatient&state=s1&redirect_uri=${encodeURIComponent(`${app}/auth`)}`,
      startedAt: 10_000,
      status: 302,
    });
    const live = [page, other];
    expect(json(analyze(live))).toBe(cold(live));
    const resumed = correlationRuns.resumed;
    live.push(authorize);
    const launches = analyze(live);
    expect(json(launches)).toBe(cold(live));
    expect(launches.map((l) => l.steps.map((s) => s.kind))).toEqual([['authorize']]);
    expect(correlationRuns.resumed).toBe(resumed);
  });

  it('a run that fails half-way leaves no checkpoint behind', () => {
    const all = capture(1_500);
    const live = all.slice(0, Math.floor(all.length / 2));
    expect(json(analyze(live))).toBe(cold(live));
    // A callback-like exchange whose completion time cannot be read a second time: it is read when its
    // step is made, and again once the step has joined a launch, half-way through the launch's update.
    const last = live[live.length - 1]!;
    const broken = { ...structuredClone(last), id: 'broken', startedAt: last.startedAt + 1, revision: 0 };
    let reads = 0;
    Object.defineProperty(broken, 'completedAt', {
      get: () => {
        if (++reads > 1) throw new Error('unreadable');
        return last.startedAt + 2;
      },
    });
    live.push(broken);
    expect(() => analyze(live)).toThrow('unreadable');
    live.pop();
    expect(json(analyze(live))).toBe(cold(live));
  });

  it('random arrivals, edits anywhere, removals and analyses in between', () => {
    const all = capture(700);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('add' as const), n: fc.integer({ min: 1, max: 12 }) }),
            fc.record({ op: fc.constant('late' as const), at: fc.nat() }),
            fc.record({
              op: fc.constant('edit' as const),
              at: fc.nat(),
              status: fc.constantFrom(200, 302, 400, 500),
            }),
            fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (ops) => {
          const pending = structuredClone(all);
          const live: Exchange[] = [];
          for (const op of ops) {
            if (op.op === 'add') live.push(...pending.splice(0, op.n));
            else if (op.op === 'late' && pending.length)
              live.push(...pending.splice(op.at % pending.length, 1));
            else if (op.op === 'edit' && live.length) edit(live[op.at % live.length]!, { status: op.status });
            else if (op.op === 'remove' && live.length) live.splice(op.at % live.length, 1);
            expect(json(analyze(live))).toBe(cold(live));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
