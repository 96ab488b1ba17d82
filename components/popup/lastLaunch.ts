import type { LaunchSummary } from '../../utils/launch/summary';

/** One line about the most recent launch, for the popup. */
export function describeLastLaunch(launches: LaunchSummary[] | undefined, now = Date.now()): string {
  if (launches === undefined) return 'Loading last launch…';
  const last = launches[0];
  if (!last) return 'No launch recorded yet';
  const who = last.clientId ? ` of ${last.clientId}` : '';
  const when = ago(now - last.startedAt);
  if (last.status === 'in-progress') return `Launch${who} in progress (started ${when})`;
  if (last.status === 'succeeded') return `Last launch${who} succeeded ${when}`;
  const step = last.failingStep;
  const where = step ? ` at ${step.label}${step.status ? ` (${step.status})` : ''}` : '';
  return `Last launch${who} failed${where} ${when}`;
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
