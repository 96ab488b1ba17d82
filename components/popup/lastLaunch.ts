import type { Launch, LaunchStatus } from '../../utils/model';

/** What the popup says about the most recent launch: one headline, and the status reason under it. */
export interface LastLaunchSummary {
  status?: LaunchStatus;
  text: string;
  /** launch.statusReason, shown whole on its own line. */
  reason?: string;
}

const VERB: Record<Exclude<LaunchStatus, 'failed' | 'in-progress'>, string> = {
  succeeded: 'succeeded',
  authorized: 'was authorized (token exchange not visible)',
  cancelled: 'was cancelled',
  abandoned: 'was abandoned',
};

export function summarizeLastLaunch(launches: Launch[] | undefined, now = Date.now()): LastLaunchSummary {
  if (launches === undefined) return { text: 'Loading last launch…' };
  const last = launches[0];
  if (!last) return { text: 'No launch recorded yet' };
  const who = last.clientId ? ` of ${last.clientId}` : '';
  const when = ago(now - last.startedAt);
  const out = (text: string): LastLaunchSummary =>
    last.statusReason
      ? { status: last.status, text, reason: last.statusReason }
      : { status: last.status, text };
  if (last.status === 'in-progress') return out(`Launch${who} in progress (started ${when})`);
  if (last.status !== 'failed') return out(`Last launch${who} ${VERB[last.status]} ${when}`);
  const step = last.steps.find((s) => s.exchange.id === last.failedAt);
  const where = step ? ` at ${step.label}${step.exchange.status ? ` (${step.exchange.status})` : ''}` : '';
  return out(`Last launch${who} failed${where} ${when}`);
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
