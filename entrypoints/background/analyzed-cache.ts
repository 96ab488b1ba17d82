import { type LaunchSummary, summarizeLaunch } from '../../utils/launch/summary';
import type { Launch, Step } from '../../utils/model';
import { sameData } from '../../utils/same-data';

/** Analysis depends on the clock (a launch left waiting turns abandoned): a cached one is this fresh at most. */
export const ANALYSIS_MAX_AGE_MS = 5_000;

/**
 * The analyzed launches between one change and the next read: summaries, search, get and the badges
 * all read one analysis per change instead of analyzing again each. Dropped on every change (and on a
 * permission or settings change, which analysis reads), and after ANALYSIS_MAX_AGE_MS.
 *
 * A new analysis hands back the previous analysis's object for every launch that came out the same
 * (createReuse), so what is derived from a launch object and kept with it (summaries, search text)
 * is derived again only for the launches a change touched.
 */
export function createAnalyzedCache(analyzeAll: () => Promise<Launch[]>, now: () => number) {
  let cached: { at: number; generation: number; launches: Promise<Launch[]> } | undefined;
  let generation = 0;
  const reuse = createReuse();
  return {
    invalidate(): void {
      generation++;
      cached = undefined;
    },
    read(): Promise<Launch[]> {
      if (cached && cached.generation === generation && now() - cached.at < ANALYSIS_MAX_AGE_MS) {
        return cached.launches;
      }
      const entry = {
        at: now(),
        generation,
        launches: analyzeAll().then(reuse),
      };
      cached = entry;
      // A failed analysis is not kept: the next read tries again.
      entry.launches.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.launches;
    },
  };
}

/**
 * The revision of each step's exchange when its launch was analyzed. Exchanges are edited in place
 * (utils/capture/reducer.ts bumps Exchange.revision), so a kept launch object holds the same exchange
 * objects as a new one: only the revisions tell whether what was derived from them is still current.
 */
const analyzedRevisions = new WeakMap<Launch, number[]>();

function revisionsOf(launch: Launch): number[] {
  return launch.steps.map((s) => s.exchange.revision ?? 0);
}

/**
 * A function that hands back `fresh` with each launch that is the same as the one of the same id it
 * handed out last time (same steps on the same exchange objects at the same revisions, every other
 * value equal) replaced by that earlier object. The result compares equal to `fresh`, launch by launch.
 *
 * The launches it handed out are kept by id from one call to the next: analysis (`shared`) hands out
 * most launches as the same objects as before, and those cost one lookup.
 */
export function createReuse(): (fresh: readonly Launch[]) => Launch[] {
  let byId = new Map<string, Launch>();
  return (fresh) => {
    const out = new Array<Launch>(fresh.length);
    let renew = false;
    for (let i = 0; i < fresh.length; i++) {
      const launch = fresh[i]!;
      const old = byId.get(launch.id);
      if (old === launch) {
        out[i] = launch;
      } else if (old && sameLaunch(old, launch)) {
        out[i] = old;
      } else {
        if (!analyzedRevisions.has(launch)) analyzedRevisions.set(launch, revisionsOf(launch));
        if (old) byId.set(launch.id, launch);
        else renew = true;
        out[i] = launch;
      }
    }
    // A launch new or gone: keep exactly the launches handed out now.
    if (renew || byId.size !== out.length) byId = new Map(out.map((l) => [l.id, l]));
    return out;
  };
}

function sameLaunch(old: Launch, fresh: Launch): boolean {
  const revisions = analyzedRevisions.get(old);
  if (!revisions || old.steps.length !== fresh.steps.length) return false;
  for (let i = 0; i < fresh.steps.length; i++) {
    const step = fresh.steps[i]!;
    if (revisions[i] !== (step.exchange.revision ?? 0) || !sameStep(old.steps[i]!, step)) return false;
  }
  const keys = Object.keys(fresh);
  if (keys.length !== Object.keys(old).length) return false;
  for (const key of keys) {
    if (key === 'steps') continue;
    if (!(key in old) || !sameData(old[key as keyof Launch], fresh[key as keyof Launch])) return false;
  }
  return true;
}

/**
 * The same exchange and decoded URL objects (remembered per exchange revision), every other value equal.
 * Runs for every step of every launch on each new analysis: no allocation.
 */
function sameStep(a: Step, b: Step): boolean {
  let keys = 0;
  for (const key in b) {
    keys++;
    if (a[key as keyof Step] !== b[key as keyof Step]) return false;
  }
  for (const _ in a) keys--;
  return keys === 0;
}

/** Per launch object: kept launches keep their summary (utils/launch/search.ts keeps search text alike). */
const summaries = new WeakMap<Launch, LaunchSummary>();

export function summaryOf(launch: Launch): LaunchSummary {
  let summary = summaries.get(launch);
  if (!summary) {
    summary = summarizeLaunch(launch);
    summaries.set(launch, summary);
  }
  return summary;
}
