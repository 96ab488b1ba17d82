import type { Launch } from '../../utils/model';
import { failingStep, formatClock, formatDuration, launchDuration, STATUS_NOTE, serverOf } from './format';
import { StatusIcon } from './StatusIcon';
import { failingStepText, stepLabel } from './stepLabel';

/** One line of the launch list: who launched what against which server, and where it broke. */
export function LaunchRow({ launch }: { launch: Launch }) {
  const failing = failingStep(launch);
  return (
    <>
      <StatusIcon status={launch.status} />
      <span className="sld-row-main">
        <span className="sld-row-title">
          <strong>{launch.clientId ?? 'unknown client'}</strong>
          <span className="sld-muted"> → {serverOf(launch) || 'unknown server'}</span>
          {launch.persona && <span className="sld-chip">{launch.persona}</span>}
          {launch.imported && <span className="sld-chip sld-chip-imported">imported</span>}
        </span>
        <span className="sld-row-sub sld-muted" title={launch.statusReason}>
          <span className="sld-row-when">
            {formatClock(launch.startedAt)} · {formatDuration(launchDuration(launch))}
          </span>
          {failing && (
            <span className="sld-row-failing" title={stepLabel(failing).title}>
              {' '}
              · failed at {failingStepText(failing)}
            </span>
          )}
          {launch.status !== 'failed' && launch.status !== 'succeeded' && (
            <span className="sld-row-note"> · {STATUS_NOTE[launch.status]}</span>
          )}
        </span>
      </span>
    </>
  );
}
