import type { Exchange, Launch } from '../model';
import type { CaptureEvent } from './events';
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

/**
 * Longest URL an event keeps. Chromium takes URLs up to 2 MiB; one such request kept whole (several
 * events, each journaled to storage.session, twice when secrets are kept, plus the records) overflows
 * that area's 10 MB quota. The query parser reads at most 64 KiB of one value anyway (utils/url/query.ts).
 */
export const MAX_URL_CHARS = 64 * 1024;

/** The URL cut to MAX_URL_CHARS, with a marker saying how long it was; unchanged when short enough. */
export function boundUrl(url: string): string {
  if (url.length <= MAX_URL_CHARS) return url;
  return `${url.slice(0, MAX_URL_CHARS)}…[URL of ${url.length} characters cut to ${MAX_URL_CHARS}]`;
}

const CUT_URL = /…\[URL of (\d+) characters cut to \d+\]$/;

/** How long the URL was as the browser sent it: its boundUrl() marker says so when it was cut. */
export function urlLengthOf(url: string): number {
  if (url.length <= MAX_URL_CHARS) return url.length;
  const cut = CUT_URL.exec(url);
  return cut ? Number(cut[1]) : url.length;
}

/**
 * Most characters of one form body an event keeps, names and values together, and most fields. A form
 * the browser hands over can be as large as the POST itself (a SAML response is tens of KB; a page can
 * post megabytes to a watched host); what a diagnosis reads (grant_type, the verifier, field names of a
 * login form) is short.
 */
export const MAX_FORM_CHARS = 64 * 1024;
export const MAX_FORM_FIELDS = 200;

/** The form cut to MAX_FORM_FIELDS fields and MAX_FORM_CHARS characters, values cut with a marker. */
export function boundForm(form: Record<string, string[]>): Record<string, string[]> {
  const names = Object.keys(form);
  let total = 0;
  for (const name of names) {
    total += name.length;
    for (const v of form[name] ?? []) total += typeof v === 'string' ? v.length : 0;
  }
  if (total <= MAX_FORM_CHARS && names.length <= MAX_FORM_FIELDS) return form;
  const out: Record<string, string[]> = {};
  let left = MAX_FORM_CHARS;
  const kept = names.slice(0, MAX_FORM_FIELDS);
  for (const name of kept) {
    if (name.length > left) break;
    left -= name.length;
    out[name] = (form[name] ?? []).map((v) => {
      const value = typeof v === 'string' ? v : String(v);
      if (value.length <= left) {
        left -= value.length;
        return value;
      }
      const cut = value.slice(0, left);
      left = 0;
      return `${cut}…[value of ${value.length} characters cut to ${cut.length}]`;
    });
  }
  const dropped = names.length - Object.keys(out).length;
  if (dropped > 0) out['…'] = [`${dropped} more field(s) of ${names.length} not kept`];
  return out;
}

/** The event with its URLs and form bounded (the same object when nothing is too long). */
export function boundEvent(event: CaptureEvent): CaptureEvent {
  const long = (u: string | undefined) => u !== undefined && u.length > MAX_URL_CHARS;
  const redirectUrl = event.kind === 'redirect' ? event.redirectUrl : undefined;
  const url = 'url' in event ? event.url : undefined;
  const form = event.kind === 'request' || event.kind === 'body' ? event.form : undefined;
  const bounded = form && boundForm(form);
  if (!long(url) && !long(redirectUrl) && bounded === form) return event;
  return {
    ...event,
    ...(url !== undefined ? { url: boundUrl(url) } : {}),
    ...(redirectUrl !== undefined ? { redirectUrl: boundUrl(redirectUrl) } : {}),
    ...(bounded ? { form: bounded } : {}),
  } as CaptureEvent;
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
