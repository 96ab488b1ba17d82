import type { Exchange, Launch } from '../model';
import { type CaptureState, type Change, newChange } from './state';

export interface RecorderSettings {
  maxLaunches: number;
  maxAgeDays: number;
  /** Opt-in: keep unredacted copies for this browser session (storage.session only). */
  keepSecrets: boolean;
  /**
   * A live launch that has not moved for this many minutes without completing is shown as abandoned.
   * Optional so settings saved before it existed stay valid; absent means DEFAULT_ABANDON_MINUTES.
   */
  abandonAfterMinutes?: number;
}

export const DEFAULT_ABANDON_MINUTES = 5;
export const DEFAULT_SETTINGS: RecorderSettings = {
  maxLaunches: 200,
  maxAgeDays: 7,
  keepSecrets: false,
  abandonAfterMinutes: DEFAULT_ABANDON_MINUTES,
};
export const SETTINGS_LIMITS = {
  maxLaunches: [1, 10_000],
  maxAgeDays: [1, 365],
  abandonAfterMinutes: [1, 24 * 60],
} as const;

/** The abandon timeout of these settings, in milliseconds (analyze's abandonAfterMs). */
export function abandonAfterMs(settings: RecorderSettings | undefined): number {
  return (settings?.abandonAfterMinutes ?? DEFAULT_ABANDON_MINUTES) * 60_000;
}

const DAY_MS = 24 * 60 * 60_000;
/** Exchanges in no launch yet are kept this long: the launch they belong to may still be forming. */
export const UNGROUPED_GRACE_MS = 15 * 60_000;
const TRACK_TTL_MS = 60 * 60_000;

/**
 * Which exchanges to keep: those of the newest `maxLaunches` launches not older than `maxAgeDays`,
 * plus recent exchanges not (yet) in any launch. Oldest launches go first.
 */
export function retainedIds(
  exchanges: readonly Exchange[],
  launches: readonly Launch[],
  settings: RecorderSettings,
  now: number,
): Set<string> {
  const cutoff = now - settings.maxAgeDays * DAY_MS;
  const keep = new Set<string>();
  const grouped = new Set<string>();
  const newestFirst = [...launches].sort((a, b) => b.startedAt - a.startedAt);
  newestFirst.forEach((launch, index) => {
    const last = launch.endedAt ?? launch.startedAt;
    const kept = index < settings.maxLaunches && last >= cutoff;
    for (const step of launch.steps) {
      grouped.add(step.exchange.id);
      if (kept) keep.add(step.exchange.id);
    }
  });
  for (const ex of exchanges) {
    if (!grouped.has(ex.id) && (ex.completedAt ?? ex.startedAt) >= now - UNGROUPED_GRACE_MS) keep.add(ex.id);
  }
  return keep;
}

/** Drop everything not retained, and stale correlation bookkeeping. Returns what was removed. */
export function pruneState(state: CaptureState, keep: Set<string>, now: number): Change {
  const change = newChange();
  for (const id of Object.keys(state.exchanges)) {
    if (!keep.has(id)) {
      delete state.exchanges[id];
      change.removed.add(id);
    }
  }
  for (const [requestId, track] of Object.entries(state.requests)) {
    if (track.lastSeen < now - TRACK_TTL_MS || !track.hops.some((id) => state.exchanges[id])) {
      delete state.requests[requestId];
      change.tracks.add(requestId);
    }
  }
  for (const [key, start] of Object.entries(state.navStarts)) {
    if (start.at < now - UNGROUPED_GRACE_MS) {
      delete state.navStarts[key];
      change.bookkeeping = true;
    }
  }
  for (const [key, opener] of Object.entries(state.openers)) {
    if (opener.at < now - DAY_MS) {
      delete state.openers[key];
      change.bookkeeping = true;
    }
  }
  return change;
}
