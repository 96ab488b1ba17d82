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
  let cached:
    | { at: number; generation: number; launches: Promise<Launch[]>; due: number | undefined }
    | undefined;
  let generation = 0;
  const reuse = createReuse();
  return {
    invalidate(): void {
      generation++;
      cached = undefined;
    },
    read(): Promise<Launch[]> {
      const t = now();
      if (
        cached &&
        cached.generation === generation &&
        t - cached.at < ANALYSIS_MAX_AGE_MS &&
        !(cached.due !== undefined && t >= cached.due)
      ) {
        return cached.launches;
      }
      const entry: NonNullable<typeof cached> = {
        at: t,
        generation,
        launches: analyzeAll().then(reuse),
        due: undefined,
      };
      // A launch whose status changes with time alone (Launch.reviewAt) makes the analysis stale then.
      entry.launches.then(
        (all) => {
          let due = Number.POSITIVE_INFINITY;
          for (const l of all) if (l.reviewAt !== undefined && l.reviewAt < due) due = l.reviewAt;
          if (due !== Number.POSITIVE_INFINITY) entry.due = due;
        },
        () => undefined,
      );
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
 * Kept by id from one call to the next: the launch handed out, and the analysis's object it stood for.
 * Analysis (`shared`) hands out most launches as the same objects as before, and each of those costs
 * one lookup, including a launch that came out anew once but the same and was replaced then (analysis
 * then keeps handing out its new object). Comparing those again on every read was about a tenth of the
 * worker's busy time in the soak (docs/benchmarks.md).
 */
export function createReuse(): (fresh: readonly Launch[]) => Launch[] {
  let byId = new Map<string, { out: Launch; seen: Launch }>();
  return (fresh) => {
    const out = new Array<Launch>(fresh.length);
    let renew = false;
    for (let i = 0; i < fresh.length; i++) {
      const launch = fresh[i]!;
      const kept = byId.get(launch.id);
      if (kept && (kept.seen === launch || sameLaunch(kept.out, launch))) {
        kept.seen = launch;
        out[i] = kept.out;
        continue;
      }
      if (!analyzedRevisions.has(launch)) analyzedRevisions.set(launch, revisionsOf(launch));
      if (kept) {
        kept.out = launch;
        kept.seen = launch;
      } else renew = true;
      out[i] = launch;
    }
    // A launch new or gone: keep exactly the launches handed out now.
    if (renew || byId.size !== out.length) {
      const next = new Map<string, { out: Launch; seen: Launch }>();
      for (let i = 0; i < out.length; i++) {
        const id = out[i]!.id;
        next.set(id, byId.get(id) ?? { out: out[i]!, seen: fresh[i]! });
      }
      byId = next;
    }
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
