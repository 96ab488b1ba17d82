import { useEffect, useRef } from 'react';
import { failingStepText } from '../../utils/launch/step-label';
import { serverOf } from '../../utils/launch/summary';
import type { Launch, LaunchStatus } from '../../utils/model';
import { Button } from '../common/Button';
import { relaunchVerdict } from '../launch/fixActions';
import { STATUS_TEXT } from '../launch/format';
import { StatusIcon } from '../launch/StatusIcon';
import { causeLine, type PopupAction } from './leadLaunch';

interface Props {
  launch: Launch;
  /** True when the launch ran in the active tab. */
  inThisTab: boolean;
  action: PopupAction;
  busy: boolean;
  /** What the last action did (or why it could not), shown under the button. */
  outcome?: { ok: boolean; text: string };
  /** This launch is the relaunch the popup's fix started: the card says whether the fix worked. */
  isRelaunch?: boolean;
  onAction: (action: PopupAction) => void;
  onOpenLog: () => void;
  now?: number;
}

const TONE: Record<LaunchStatus, 'bad' | 'ok' | 'warn' | 'muted'> = {
  failed: 'bad',
  succeeded: 'ok',
  authorized: 'ok',
  cancelled: 'warn',
  abandoned: 'warn',
  'in-progress': 'muted',
};

/** The launch the popup leads with: status, the cause in one untruncated line, and the fix as the primary button. */
export function LaunchCard({
  launch,
  inThisTab,
  action,
  busy,
  outcome,
  isRelaunch,
  onAction,
  onOpenLog,
  now,
}: Props) {
  const cause = causeLine(launch);
  const failing =
    launch.status === 'failed' ? launch.steps.find((s) => s.exchange.id === launch.failedAt) : undefined;
  const who = launch.clientId ?? 'unknown client';
  const server = serverOf(launch) || 'unknown server';
  // The fix's button goes once it ran (the relaunch leads now): keyboard focus goes to what it did.
  const said = useRef<HTMLParagraphElement>(null);
  const hasFix = action.kind !== 'open-log';
  useEffect(() => {
    if (!outcome) return;
    // Looked at again when the fix's button goes: the focus it had went to the page's body.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost || !hasFix) said.current?.focus();
  }, [outcome, hasFix]);
  return (
    <section className="sldp-card" data-tone={TONE[launch.status]} aria-labelledby="sldp-card-title">
      <h2 id="sldp-card-title" className="sldp-card-title">
        <StatusIcon status={launch.status} decorative /> {inThisTab ? 'Launch in this tab' : 'Last launch'}{' '}
        <span className="sldp-card-status">{STATUS_TEXT[launch.status].toLowerCase()}</span>
      </h2>
      {isRelaunch && (
        <p role="status" className="sldp-card-verdict" data-tone={verdictTone(launch)}>
          {relaunchVerdict(launch)}
        </p>
      )}
      <p className="sldp-card-who">
        <strong>{who}</strong> → {server} · {ago((now ?? Date.now()) - launch.startedAt)}
        {failing && (
          <>
            <br />
            Failed at {failingStepText(failing)}
          </>
        )}
      </p>
      {cause && <p className="sldp-card-cause">{cause}</p>}
      <div className="sldp-card-actions">
        {action.kind === 'open-log' ? (
          <Button onClick={onOpenLog}>Open in launch log</Button>
        ) : (
          <>
            <Button variant="primary" disabled={busy} onClick={() => onAction(action)}>
              {action.label}
            </Button>
            <Button onClick={onOpenLog}>Open in launch log</Button>
          </>
        )}
      </div>
      {outcome && (
        <p
          ref={said}
          tabIndex={-1}
          className={outcome.ok ? 'sldp-card-done' : 'sldp-card-error'}
          role={outcome.ok ? 'status' : 'alert'}
        >
          {outcome.text}
        </p>
      )}
    </section>
  );
}

/** The verdict's colour: a relaunch that brought the app its code reads as through while it settles. */
function verdictTone(launch: Launch): (typeof TONE)[LaunchStatus] {
  return relaunchVerdict(launch).startsWith('✓') ? 'ok' : TONE[launch.status];
}

export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
