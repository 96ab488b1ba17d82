import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_MAX_AGE_MS,
  createAnalyzedCache,
  createReuse,
  summaryOf,
} from '../../entrypoints/background/analyzed-cache';
import { analyze } from '../../utils/launch/analyze';
import { byTime } from '../../utils/launch/correlate';
import { searchTextOf } from '../../utils/launch/search';
import { summarizeLaunch } from '../../utils/launch/summary';
import type { Exchange, Launch } from '../../utils/model';
import { fixtureNames, loadExchanges, twinOf } from '../fixtures/load';

/** The background analyzes once per change, however many reads (summaries, search, get) follow it. */
describe('analyzed launches cache', () => {
  function setup() {
    let clock = 1_000;
    let analyses = 0;
    let fail = false;
    const cache = createAnalyzedCache(
      async () => {
        analyses++;
        if (fail) throw new Error('storage gone');
        return [{ id: `analysis-${analyses}`, steps: [], findings: [] } as unknown as Launch];
      },
      () => clock,
    );
    return {
      cache,
      analyses: () => analyses,
      tick: (ms: number) => {
        clock += ms;
      },
      failNext: (v: boolean) => {
        fail = v;
      },
    };
  }

  it('answers every read between two changes from one analysis', async () => {
    const { cache, analyses } = setup();
    const [a, b, c] = await Promise.all([cache.read(), cache.read(), cache.read()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(analyses()).toBe(1);
    cache.invalidate();
    expect((await cache.read())[0]!.id).toBe('analysis-2');
  });

  it('analyzes again once the analysis is older than the clock allows', async () => {
    const { cache, analyses, tick } = setup();
    await cache.read();
    tick(ANALYSIS_MAX_AGE_MS - 1);
    await cache.read();
    expect(analyses()).toBe(1);
    tick(1);
    await cache.read();
    expect(analyses()).toBe(2);
  });

  it("analyzes again once the clock passes a launch's reviewAt, however young the analysis", async () => {
    let clock = 1_000;
    let analyses = 0;
    const cache = createAnalyzedCache(
      async () => {
        analyses++;
        return [{ id: 'l', steps: [], findings: [], reviewAt: 1_000 + 2_000 } as unknown as Launch];
      },
      () => clock,
    );
    await cache.read();
    clock += 1_999;
    await cache.read();
    expect(analyses).toBe(1);
    clock += 1;
    await cache.read();
    expect(analyses).toBe(2);
  });

  it('does not keep a failed analysis', async () => {
    const { cache, analyses, failNext } = setup();
    failNext(true);
    await expect(cache.read()).rejects.toThrow('storage gone');
    failNext(false);
    expect((await cache.read())[0]!.id).toBe('analysis-2');
    expect(analyses()).toBe(2);
  });
});

/**
 * A new analysis keeps the previous object of every launch that came out the same, so summaries and
 * search text are derived again only for what changed. The reference is a fresh analysis of deep copies.
 */
describe('analyzed launches cache: launches kept from the previous analysis', () => {
  const json = (launches: Launch[]) => JSON.stringify(launches);
  const cold = (exchanges: Exchange[]) => json(analyze(structuredClone(exchanges)));
  const bump = (ex: Exchange) => {
    ex.revision = (ex.revision ?? 0) + 1;
  };
  function cacheOver(exchanges: Exchange[]) {
    return createAnalyzedCache(
      async () => analyze(exchanges),
      () => 0,
    );
  }
  /** Each fixture twice, the copy a moment later in the next tab with the same state and codes. */
  function twins(name: string): Exchange[] {
    const a = loadExchanges(name);
    return [...a, ...twinOf(a)].sort(byTime);
  }

  it.each(fixtureNames())(
    '%s: a capture growing one exchange at a time reads as a fresh analysis',
    async (name) => {
      const all = twins(name);
      const shown: Exchange[] = [];
      const cache = cacheOver(shown);
      for (const ex of all) {
        // Each exchange first pending, then answered: the reducer's two events of one request.
        const { status, completedAt, phase, body } = ex;
        const pending: Exchange = { ...ex, phase: 'pending' };
        delete pending.status;
        delete pending.completedAt;
        delete pending.body;
        shown.push(pending);
        cache.invalidate();
        const early = await cache.read();
        expect(json(early)).toBe(cold(shown));
        // Summaries and search text of the pending state, kept with those launch objects.
        early.map(summaryOf);
        early.map(searchTextOf);
        Object.assign(pending, { phase, ...(status === undefined ? {} : { status }) });
        if (completedAt !== undefined) pending.completedAt = completedAt;
        if (body) pending.body = body;
        bump(pending);
        cache.invalidate();
        const launches = await cache.read();
        expect(json(launches)).toBe(cold(shown));
        // What is kept with a launch object is as a fresh analysis's launch would give it.
        const fresh = analyze(structuredClone(shown));
        expect(launches.map(summaryOf)).toEqual(fresh.map(summarizeLaunch));
        expect(launches.map(searchTextOf)).toEqual(fresh.map(searchTextOf));
      }
    },
  );

  it.each(fixtureNames())(
    '%s: an exchange edited in place is seen; the launches it is not in are kept',
    async (name) => {
      const base = twins(name);
      for (let i = 0; i < base.length; i++) {
        const exchanges = structuredClone(base);
        const cache = cacheOver(exchanges);
        const before = await cache.read();
        const ex = exchanges[i]!;
        ex.status = ex.status === 200 ? 401 : 200;
        ex.tabId += 2;
        bump(ex);
        cache.invalidate();
        const after = await cache.read();
        expect(json(after), `${name}: exchange ${i}`).toBe(cold(exchanges));
        const touched = (l: Launch) => l.steps.some((s) => s.exchange === ex);
        for (const launch of after) {
          const old = before.find((l) => l.id === launch.id);
          if (!old || touched(launch) || touched(old)) continue;
          // Unless the edit moved steps between launches or changed their outcome, the object is the same.
          if (json([old]) === json([launch])) expect(launch).toBe(old);
        }
      }
    },
  );

  it('keeps every launch of an unchanged capture, and none whose exchange was edited', async () => {
    const exchanges = twins(fixtureNames()[0]!);
    const cache = cacheOver(exchanges);
    const first = await cache.read();
    expect(first.length).toBeGreaterThan(0);
    cache.invalidate();
    const second = await cache.read();
    for (const [i, launch] of second.entries()) expect(launch).toBe(first[i]);
    const edited = second[0]!.steps[0]!.exchange;
    edited.error = 'net::ERR_CONNECTION_RESET';
    bump(edited);
    cache.invalidate();
    const third = await cache.read();
    const launch = third.find((l) => l.id === second[0]!.id)!;
    expect(launch).not.toBe(second[0]);
    expect(json(third)).toBe(cold(exchanges));
  });
});

describe('launch reuse between analyses', () => {
  it('hands back the launches it handed out last time that came out the same, and no others', () => {
    // Two launches: a fixture's and its twin's, a moment later in the next tab.
    const both = fixtureNames()
      .map((name) => loadExchanges(name))
      .map((exchanges) => [...exchanges, ...twinOf(exchanges)].sort(byTime))
      .find((xs) => analyze(xs).length === 2)!;
    const fresh = () => analyze(both);
    const reuse = createReuse();
    const [a, b] = reuse(fresh());
    expect(a && b && a.id !== b.id).toBe(true);
    // New objects, same content: the earlier ones come back.
    const again = reuse(fresh());
    expect(again[0]).toBe(a);
    expect(again[1]).toBe(b);
    // One launch gone, then back: it was not handed out last time, so the new object stays.
    reuse(fresh().filter((l) => l.id === a!.id));
    const back = reuse(fresh());
    expect(back[0]).toBe(a);
    expect(back[1]).not.toBe(b);
    expect(back[1]).toEqual(b);
    // A launch that changed is handed out as its new object.
    const changed = fresh().map((l) => (l.id === a!.id ? { ...l, statusReason: 'changed' } : l));
    const out = reuse(changed);
    expect(out[0]).not.toBe(a);
    expect(out[0]!.statusReason).toBe('changed');
    expect(out[1]).toBe(back[1]);
  });

  it('compares a launch once: analysis handing out the same new object again costs a lookup', () => {
    const reuse = createReuse();
    const exchanges = loadExchanges(fixtureNames()[0]!);
    const [first] = analyze(exchanges);
    reuse([first!]);
    // An equal launch as a new object, as analysis makes one after touching it, then hands out again.
    const [again] = analyze(exchanges);
    let reads = 0;
    const steps = again!.steps;
    Object.defineProperty(again, 'steps', {
      enumerable: true,
      get: () => {
        reads++;
        return steps;
      },
    });
    expect(reuse([again!])[0]).toBe(first);
    expect(reads).toBeGreaterThan(0);
    reads = 0;
    expect(reuse([again!])[0]).toBe(first);
    expect(reuse([again!])[0]).toBe(first);
    expect(reads).toBe(0);
  });
});
