import { hostList, watchedBy } from '../../utils/diagnose/fixes';
import type { Fix, Launch, LaunchStatus } from '../../utils/model';
import { getParam } from '../../utils/url';

/**
 * What a finding's fix buttons do, the way the popup offers them: the fix joined with a relaunch where a
 * relaunch makes sense, so one press leads from the failure to a working launch.
 * `apply` runs the fix (and relaunches when it is a strip or clear fix), `undo` turns the strip rule off.
 */
export type FixIntent = 'apply' | 'undo';

export interface FixButton {
  fix: Fix;
  intent: FixIntent;
  label: string;
  primary: boolean;
}

const hostOf = (origin: string) => origin.replace(/^https?:\/\//, '');

/** The same advice wherever the token response is missing (Tokens tab, Watch finding). */
export const TOKEN_CAPTURE_HINT =
  "Watch the app's origin, and its servers' when they are not Oracle's (the Watch fix), or keep DevTools open on the app's tab during the launch, to capture its token request.";

function buttonsFor(fix: Fix, ruleEnabled: boolean | undefined): Omit<FixButton, 'primary'>[] {
  switch (fix.kind) {
    case 'enable-strip-rule':
      return ruleEnabled
        ? [
            { fix, intent: 'apply', label: 'Relaunch' },
            { fix, intent: 'undo', label: 'Turn Strip forceAuthn off' },
          ]
        : [{ fix, intent: 'apply', label: 'Strip forceAuthn and relaunch' }];
    case 'clear-session':
      return [{ fix, intent: 'apply', label: `Clear ${hostOf(fix.origin)} session and relaunch` }];
    case 'watch-origin':
      return [{ fix, intent: 'apply', label: `Watch ${hostList(watchedBy(fix))}` }];
    case 'relaunch':
      return [{ fix, intent: 'apply', label: fix.label }];
    case 'advice':
      return [];
  }
}

/** The buttons of one finding, in order; only the first action (never an undo or a copy) is primary. */
/** `lead`: the finding explains a failure or warning; an informational finding offers no primary action. */
export function fixButtons(
  fixes: readonly Fix[],
  ruleEnabled: boolean | undefined,
  lead = true,
): FixButton[] {
  const out: FixButton[] = [];
  let primaryTaken = !lead;
  for (const fix of fixes) {
    for (const b of buttonsFor(fix, ruleEnabled)) {
      const primary = !primaryTaken && b.intent === 'apply' && fix.kind !== 'relaunch';
      if (primary) primaryTaken = true;
      out.push({ ...b, primary });
    }
  }
  return out;
}

/** What a relaunch did, after `done` (e.g. "✓ Strip forceAuthn on"), or why there was none. */
export function relaunchNotice(
  done: string,
  result: { ok: true; sameTab: boolean } | { ok: false; reason: string },
): { kind: 'info' | 'error'; text: string } {
  if (!result.ok) return { kind: 'error', text: `${done}, but no relaunch: ${result.reason}` };
  return { kind: 'info', text: `${done} · relaunched ${result.sameTab ? 'in its tab' : 'in a new tab'}.` };
}

/** Launches that began this long before a relaunch was asked for are not taken for it (clock steps). */
export const RELAUNCH_SLACK_MS = 1000;

/**
 * The launch a relaunch started: the newest recorded (not imported) launch of `launches`, other than the
 * one it relaunched, that began when it was asked for (`at`) or later.
 */
export function relaunchOf<T extends { id: string; startedAt: number; imported?: unknown }>(
  launches: readonly T[],
  relaunch: { from: string; at: number },
): T | undefined {
  let found: T | undefined;
  for (const l of launches) {
    if (l.id === relaunch.from || l.imported || l.startedAt < relaunch.at - RELAUNCH_SLACK_MS) continue;
    if (!found || l.startedAt > found.startedAt) found = l;
  }
  return found;
}

const VERDICT: Record<LaunchStatus, string> = {
  'in-progress': 'Relaunched after the fix: waiting for it to finish…',
  succeeded: '✓ The fix worked: the relaunch succeeded.',
  authorized: '✓ The fix worked: the relaunch reached the app with its code.',
  failed: 'The relaunch after the fix failed.',
  cancelled: 'The relaunch after the fix was cancelled at sign-in.',
  abandoned: 'The relaunch after the fix was abandoned before it finished.',
};

/**
 * What the relaunch after a fix came to: whether the fix worked. By its status, and, given its steps, a
 * relaunch still in progress whose callback brought the app its code got past where launches fail to
 * (the authorization server): that is said at once, not once it settles.
 */
export function relaunchVerdict(launch: { status: LaunchStatus; steps?: Launch['steps'] }): string {
  const coded =
    launch.status === 'in-progress' &&
    launch.steps?.some((s) => s.kind === 'callback' && getParam(s.decoded, 'code') !== undefined);
  return VERDICT[coded ? 'authorized' : launch.status];
}
