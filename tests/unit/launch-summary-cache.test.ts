import { describe, expect, it } from 'vitest';
import { ANALYSIS_MAX_AGE_MS, createAnalyzedCache } from '../../entrypoints/background/analyzed-cache';
import type { Launch } from '../../utils/model';

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
        return [{ id: `analysis-${analyses}` } as Launch];
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

  it('does not keep a failed analysis', async () => {
    const { cache, analyses, failNext } = setup();
    failNext(true);
    await expect(cache.read()).rejects.toThrow('storage gone');
    failNext(false);
    expect((await cache.read())[0]!.id).toBe('analysis-2');
    expect(analyses()).toBe(2);
  });
});
