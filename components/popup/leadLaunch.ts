import { hostList, watchedBy } from '../../utils/diagnose/fixes';
import type { Finding, Fix, Launch } from '../../utils/model';

/**
 * What the popup leads with: the newest launch that ran in the active tab (else the newest launch), its
 * cause in one line, and the one action that fixes it — the finding's primary fix, joined with a relaunch
 * where a relaunch makes sense, so the user gets from the failure to a working launch in one click.
 */
export type PopupAction =
  | { kind: 'strip-and-relaunch'; label: string }
  | { kind: 'clear-and-relaunch'; label: string; origin: string }
  | { kind: 'relaunch'; label: string }
  | { kind: 'watch-origin'; label: string; origins: string[] }
  | { kind: 'open-log'; label: string };

/** `launches` newest first (launch summaries or full launches). */
export function leadLaunch<T extends { tabIds: readonly number[] }>(
  launches: readonly T[],
  activeTabId: number | undefined,
): T | undefined {
  if (activeTabId !== undefined) {
    const inTab = launches.find((l) => l.tabIds.includes(activeTabId));
    if (inTab) return inTab;
  }
  return launches[0];
}

/** The finding that explains the launch's status: its first error, else its first warning. */
export function leadingFinding(launch: Launch): Finding | undefined {
  return (
    launch.findings.find((f) => f.severity === 'error') ??
    launch.findings.find((f) => f.severity === 'warning')
  );
}

/**
 * The cause in one line: the leading finding's title when the status reason only spells that finding out
 * ("<title>: <summary>"; the log has the rest), else the status reason, else the finding's title.
 */
export function causeLine(launch: Launch): string | undefined {
  const lead = leadingFinding(launch);
  if (launch.statusReason) {
    return lead && launch.statusReason.startsWith(`${lead.title}:`) ? lead.title : launch.statusReason;
  }
  if (launch.status === 'succeeded') return undefined;
  return lead?.title;
}

const hostOf = (origin: string) => origin.replace(/^https?:\/\//, '');

export function primaryAction(launch: Launch, ruleEnabled: boolean | undefined): PopupAction {
  let fixes: Fix[] = [];
  if (launch.status === 'failed') fixes = leadingFinding(launch)?.fixes ?? [];
  // The code reached the app but its token request was not visible: watching the app's origin shows it.
  if (launch.status === 'authorized') fixes = launch.findings.flatMap((f) => f.fixes);
  for (const fix of fixes) {
    if (fix.kind === 'enable-strip-rule') {
      return ruleEnabled
        ? { kind: 'relaunch', label: 'Relaunch' }
        : { kind: 'strip-and-relaunch', label: 'Strip forceAuthn and relaunch' };
    }
    if (fix.kind === 'clear-session') {
      return {
        kind: 'clear-and-relaunch',
        label: `Clear ${hostOf(fix.origin)} session and relaunch`,
        origin: fix.origin,
      };
    }
    if (fix.kind === 'watch-origin') {
      const origins = watchedBy(fix);
      return { kind: 'watch-origin', label: `Watch ${hostList(origins)}`, origins };
    }
  }
  return { kind: 'open-log', label: 'Open in launch log' };
}
