import type { Launch, LaunchStatus, Severity, StepKind } from '../model';
import { splitUrl } from '../url/split';
import { failingStepText } from './step-label';

/**
 * What a list row or the popup shows about a launch: no bodies, no step details. The full launch is
 * fetched only for the one being looked at.
 */
export interface LaunchSummary {
  id: string;
  status: LaunchStatus;
  /** The reason's first STATUS_REASON_CHARS characters (a tooltip); the detail has all of it. */
  statusReason?: string;
  startedAt: number;
  endedAt?: number;
  /** Launch.reviewAt: when a page showing it reads the list again. */
  reviewAt?: number;
  clientId?: string;
  persona?: string;
  tenant?: string;
  /** The authorization host, else the FHIR server's host. */
  server: string;
  /** Where the launch failed: the step analysis named, else the first failed step. */
  failingStep?: {
    kind: StepKind;
    status?: number;
    error?: string;
    /** For display, whole: "session-api (forceAuthn) → 400" (utils/launch/step-label.ts). */
    text: string;
  };
  /** Which rules fired (titles and details are in the full launch). */
  findings: { ruleId: string; severity: Severity }[];
  stepCount: number;
  /** The tabs the launch ran in (the popup leads with the launch of the active tab). */
  tabIds: number[];
  /** Tabs that opened those tabs (an EHR opening the app in a new tab): "This tab only" keeps them too. */
  openerTabIds?: number[];
  /** The other hosts the launch touched besides `server` (the list's host filter offers every one). */
  hosts: string[];
  /**
   * Changes whenever anything a detail view shows may have changed (steps, their phases and statuses,
   * bodies, findings), so a page re-fetches the open launch only when it did.
   */
  revision: string;
  imported?: { fileName: string; importedAt: number };
}

/** Summaries of 200 launches must stay under 100 KB: a failing launch's reason alone can be 300 characters. */
export const STATUS_REASON_CHARS = 100;

function shorten(text: string): string {
  return text.length <= STATUS_REASON_CHARS ? text : `${text.slice(0, STATUS_REASON_CHARS - 1)}…`;
}

function hostsOf(launch: Launch): string[] {
  const hosts = new Set<string>();
  for (const step of launch.steps) {
    const host = step.decoded?.host ?? splitUrl(step.exchange.url).host;
    if (host) hosts.add(host);
  }
  if (launch.authHost) hosts.add(launch.authHost);
  return [...hosts].sort();
}

/** A short digest of what may change in a recorded launch while it runs (FNV-1a over the facts). */
function revisionOf(launch: Launch): string {
  const facts = [launch.status, launch.endedAt ?? '', launch.findings.length];
  for (const { exchange: e } of launch.steps) {
    facts.push(e.id, e.phase, e.status ?? '', e.completedAt ?? '', e.body?.text.length ?? '', e.error ?? '');
  }
  let hash = 0x811c9dc5;
  const text = facts.join('|');
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${launch.steps.length}.${(hash >>> 0).toString(36)}`;
}

/**
 * Host of the server the launch talked to: the authorization host, else the FHIR server (of `iss`, or of
 * the first step when the launch has neither: a FHIR call whose launch was not recorded), else the EHR
 * that started it (a launch just begun, whose app has not been opened yet).
 */
export function serverOf(launch: Pick<Launch, 'authHost' | 'iss' | 'steps'>): string {
  if (launch.authHost) return launch.authHost;
  if (launch.iss) return splitUrl(launch.iss).host;
  const first = launch.steps[0];
  return first?.kind === 'fhir' || first?.kind === 'ehr-launch' ? splitUrl(first.exchange.url).host : '';
}

export function summarizeLaunch(launch: Launch): LaunchSummary {
  const server = serverOf(launch);
  const openers = [
    ...new Set(
      launch.steps.flatMap((s) => (s.exchange.openerTabId === undefined ? [] : [s.exchange.openerTabId])),
    ),
  ];
  const failing =
    (launch.failedAt ? launch.steps.find((s) => s.exchange.id === launch.failedAt) : undefined) ??
    (launch.status === 'failed' ? launch.steps.find((s) => s.failed) : undefined);
  return {
    id: launch.id,
    status: launch.status,
    ...(launch.statusReason ? { statusReason: shorten(launch.statusReason) } : {}),
    startedAt: launch.startedAt,
    ...(launch.endedAt !== undefined ? { endedAt: launch.endedAt } : {}),
    ...(launch.reviewAt !== undefined ? { reviewAt: launch.reviewAt } : {}),
    ...(launch.clientId ? { clientId: launch.clientId } : {}),
    ...(launch.persona ? { persona: launch.persona } : {}),
    ...(launch.tenant ? { tenant: launch.tenant } : {}),
    server,
    ...(failing
      ? {
          failingStep: {
            kind: failing.kind,
            text: failingStepText(failing),
            ...(failing.exchange.status !== undefined ? { status: failing.exchange.status } : {}),
            ...(failing.exchange.error ? { error: failing.exchange.error } : {}),
          },
        }
      : {}),
    findings: launch.findings.map(({ ruleId, severity }) => ({ ruleId, severity })),
    stepCount: launch.steps.length,
    tabIds: [...new Set(launch.steps.map((s) => s.exchange.tabId).filter((t) => t >= 0))],
    ...(openers.length ? { openerTabIds: openers } : {}),
    hosts: hostsOf(launch).filter((h) => h !== server),
    revision: revisionOf(launch),
    ...(launch.imported ? { imported: launch.imported } : {}),
  };
}
