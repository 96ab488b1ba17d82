/**
 * A launch reduced to what a terminal or a CI job needs: statuses, steps, findings and fixes, without
 * query strings (exchanges are already redacted; leaving queries out keeps lines short and safe to log).
 * The `--json` output of the CLI is this shape; the text report is printed from it.
 */
import type { Fix, Launch, LaunchStatus, Severity } from '../model';
import { splitUrl } from '../url/split';

export interface StepSummary {
  n: number;
  kind: string;
  label: string;
  method: string;
  /** host + path, no query. */
  where: string;
  /** HTTP status, or the network error, or the capture phase. */
  status: string;
  failed: boolean;
  offsetMs: number;
  durationMs?: number;
  rewrittenByExtension: boolean;
}

export interface FindingSummary {
  ruleId: string;
  severity: Severity;
  title: string;
  summary: string;
  /** What the finding rests on (the server's error URN, error_uri, Cerner-Correlation-Id…), redacted as stored. */
  evidence: Array<{ label: string; value: string; step?: number }>;
  fixes: Array<{ kind: Fix['kind']; label: string }>;
}

export interface LaunchSummary {
  id: string;
  status: LaunchStatus;
  statusReason?: string;
  /** Number (1-based) of the step where the launch failed or was cancelled. */
  failedAtStep?: number;
  clientId?: string;
  iss?: string;
  persona?: string;
  startedAt: string;
  durationMs?: number;
  steps: StepSummary[];
  findings: FindingSummary[];
}

export interface AnalysisSummary {
  file: string;
  launches: LaunchSummary[];
  counts: Partial<Record<LaunchStatus, number>>;
  /** 1 when a launch failed, else 0 (the CLI's exit code). */
  exitCode: 0 | 1;
  /** Entries of the file skipped as malformed, said in a sentence; absent when none was. */
  skippedEntries?: string;
}

function stepStatus(ex: Launch['steps'][number]['exchange']): string {
  if (ex.error) return ex.error;
  return ex.status !== undefined ? String(ex.status) : ex.phase;
}

export function summarizeLaunch(launch: Launch): LaunchSummary {
  const steps = launch.steps.map((s, i): StepSummary => {
    const { host, path } = splitUrl(s.exchange.url);
    return {
      n: i + 1,
      kind: s.kind,
      label: s.label || s.kind,
      method: s.exchange.method,
      where: host + path,
      status: stepStatus(s.exchange),
      failed: s.failed,
      offsetMs: Math.round(s.offsetMs),
      ...(s.durationMs !== undefined ? { durationMs: Math.round(s.durationMs) } : {}),
      rewrittenByExtension: !!s.exchange.rewrittenFrom,
    };
  });
  const stepNumbers = new Map(launch.steps.map((s, i) => [s.exchange.id, i + 1]));
  const failedAtStep = launch.failedAt !== undefined ? stepNumbers.get(launch.failedAt) : undefined;
  return {
    id: launch.id,
    status: launch.status,
    ...(launch.statusReason ? { statusReason: launch.statusReason } : {}),
    ...(failedAtStep !== undefined ? { failedAtStep } : {}),
    ...(launch.clientId ? { clientId: launch.clientId } : {}),
    ...(launch.iss ? { iss: launch.iss } : {}),
    ...(launch.persona ? { persona: launch.persona } : {}),
    startedAt: new Date(launch.startedAt).toISOString(),
    ...(launch.endedAt !== undefined ? { durationMs: Math.round(launch.endedAt - launch.startedAt) } : {}),
    steps,
    findings: launch.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      title: f.title,
      summary: f.summary.replace(/\s+/g, ' ').trim(),
      evidence: f.evidence.map((e) => {
        const n = e.exchangeId ? stepNumbers.get(e.exchangeId) : undefined;
        return { label: e.label, value: e.value, ...(n !== undefined ? { step: n } : {}) };
      }),
      fixes: f.fixes.map((x) => ({ kind: x.kind, label: x.label })),
    })),
  };
}

/** Launches newest first as analyze() returns them; the report lists them oldest first, as they happened. */
export function summarize(file: string, launches: readonly Launch[]): AnalysisSummary {
  const list = [...launches].reverse().map(summarizeLaunch);
  const counts: Partial<Record<LaunchStatus, number>> = {};
  for (const l of list) counts[l.status] = (counts[l.status] ?? 0) + 1;
  return { file, launches: list, counts, exitCode: counts.failed ? 1 : 0 };
}
