import type { Launch } from '../../utils/model';

/** Analysis depends on the clock (a launch left waiting turns abandoned): a cached one is this fresh at most. */
export const ANALYSIS_MAX_AGE_MS = 5_000;

/**
 * The analyzed launches between one change and the next read: summaries, search, get and the badges
 * all read one analysis per change instead of analyzing again each. Dropped on every change (and on a
 * permission or settings change, which analysis reads), and after ANALYSIS_MAX_AGE_MS.
 */
export function createAnalyzedCache(analyzeAll: () => Promise<Launch[]>, now: () => number) {
  let cached: { at: number; generation: number; launches: Promise<Launch[]> } | undefined;
  let generation = 0;
  return {
    invalidate(): void {
      generation++;
      cached = undefined;
    },
    read(): Promise<Launch[]> {
      if (cached && cached.generation === generation && now() - cached.at < ANALYSIS_MAX_AGE_MS) {
        return cached.launches;
      }
      const entry = { at: now(), generation, launches: analyzeAll() };
      cached = entry;
      // A failed analysis is not kept: the next read tries again.
      entry.launches.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.launches;
    },
  };
}
