import { durationText, offsetText } from '../../utils/launch/duration';
import type { Launch, LaunchStatus } from '../../utils/model';

/** Display helpers shared by the launch views. Pure; no DOM. */

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return durationText(ms);
}

/** Offset from the launch start, "+1.25 s" style (a clock past a minute) so the timeline columns line up. */
export function formatOffset(ms: number): string {
  return offsetText(ms, 2);
}

/**
 * The fields Date.prototype.toLocaleString() shows by default, in one formatter made once: toLocaleString
 * builds a formatter per call, and the log writes a time per row.
 */
let clock: Intl.DateTimeFormat | undefined;

function clockFormat(): Intl.DateTimeFormat {
  clock ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return clock;
}

/** Local date and time, the way the user's machine writes it (as toLocaleString() does). */
export function formatClock(epochMs: number): string {
  // The formatter throws where toLocaleString says "Invalid Date".
  if (!Number.isFinite(epochMs)) return new Date(epochMs).toLocaleString();
  return clockFormat().format(epochMs);
}

/**
 * Makes the formatter and writes one time with it. A page's first date formatter loads the locale's
 * data, which takes tens of milliseconds: done while a page waits for its launches, it no longer holds
 * up the first rows (the launch log, tests/bench/log-render-chromium.ts).
 */
export function warmClock(): void {
  clockFormat().format(0);
}

export const STATUS_TEXT: Record<LaunchStatus, string> = {
  'in-progress': 'In progress',
  succeeded: 'Succeeded',
  authorized: 'Authorized',
  cancelled: 'Cancelled',
  abandoned: 'Abandoned',
  failed: 'Failed',
};

/** Every status, in the order the filter offers them: the ones that need attention first. */
export const STATUSES: readonly LaunchStatus[] = [
  'failed',
  'cancelled',
  'abandoned',
  'authorized',
  'in-progress',
  'succeeded',
];

/** Short words for the list row, after the time and duration (failed says where instead). */
export const STATUS_NOTE: Record<Exclude<LaunchStatus, 'failed' | 'succeeded'>, string> = {
  'in-progress': 'in progress',
  authorized: 'authorized, token exchange not visible',
  cancelled: 'cancelled by the user',
  abandoned: 'abandoned',
};

/** Host and path of a URL; a malformed URL is shown as-is instead of throwing. */
export function splitUrl(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname };
  } catch {
    return { host: '', path: url };
  }
}

export function launchDuration(launch: Launch): number | undefined {
  return launch.endedAt === undefined ? undefined : launch.endedAt - launch.startedAt;
}

export { stepStatus } from '../../utils/launch/step-label';
export { serverOf } from '../../utils/launch/summary';
