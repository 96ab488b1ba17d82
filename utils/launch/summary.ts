import type { Launch, LaunchStatus, Severity, StepKind } from '../model';
import { splitUrl } from '../url/split';

/**
 * What a list row or the popup shows about a launch: no bodies, no step details. The full launch is
 * fetched only for the one being looked at.
 */
export interface LaunchSummary {
  id: string;
  status: LaunchStatus;
  statusReason?: string;
  startedAt: number;
  endedAt?: number;
  clientId?: string;
  persona?: string;
  tenant?: string;
  /** The authorization host, else the FHIR server's host. */
  server: string;
  /** Where the launch failed: the step analysis named, else the first failed step. */
  failingStep?: { kind: StepKind; label: string; status?: number; error?: string };
  findings: { ruleId: string; title: string; severity: Severity }[];
  stepCount: number;
  /** The tabs the launch ran in (the popup leads with the launch of the active tab). */
  tabIds: number[];
  imported?: { fileName: string; importedAt: number };
}

export function summarizeLaunch(launch: Launch): LaunchSummary {
  const failing =
    (launch.failedAt ? launch.steps.find((s) => s.exchange.id === launch.failedAt) : undefined) ??
    (launch.status === 'failed' ? launch.steps.find((s) => s.failed) : undefined);
  return {
    id: launch.id,
    status: launch.status,
    ...(launch.statusReason ? { statusReason: launch.statusReason } : {}),
    startedAt: launch.startedAt,
    ...(launch.endedAt !== undefined ? { endedAt: launch.endedAt } : {}),
    ...(launch.clientId ? { clientId: launch.clientId } : {}),
    ...(launch.persona ? { persona: launch.persona } : {}),
    ...(launch.tenant ? { tenant: launch.tenant } : {}),
    server: launch.authHost ?? (launch.iss ? splitUrl(launch.iss).host : ''),
    ...(failing
      ? {
          failingStep: {
            kind: failing.kind,
            label: failing.label,
            ...(failing.exchange.status !== undefined ? { status: failing.exchange.status } : {}),
            ...(failing.exchange.error ? { error: failing.exchange.error } : {}),
          },
        }
      : {}),
    findings: launch.findings.map(({ ruleId, title, severity }) => ({ ruleId, title, severity })),
    stepCount: launch.steps.length,
    tabIds: [...new Set(launch.steps.map((s) => s.exchange.tabId).filter((t) => t >= 0))],
    ...(launch.imported ? { imported: launch.imported } : {}),
  };
}
