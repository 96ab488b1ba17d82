import { memo } from 'react';
import type { LaunchSummary } from '../../utils/launch/summary';
import { formatClock, formatDuration, STATUS_NOTE } from './format';
import { StatusIcon } from './StatusIcon';

/**
 * One line of the launch list: who launched what against which server, and where it broke. Memoized: the
 * list renders again when the virtualizer measures or scrolls, and a row whose summary is the same object
 * has nothing new to show.
 */
export const LaunchRow = memo(function LaunchRow({ launch }: { launch: LaunchSummary }) {
  const failing = launch.status === 'failed' ? launch.failingStep : undefined;
  const duration = launch.endedAt === undefined ? undefined : launch.endedAt - launch.startedAt;
  return (
    <>
      <StatusIcon status={launch.status} />
      <span className="sld-row-main">
        <span className="sld-row-title">
          <strong>{launch.clientId ?? 'unknown client'}</strong>
          <span className="sld-muted sld-row-server"> → {launch.server || 'unknown server'}</span>
          {launch.persona && <span className="sld-chip">{launch.persona}</span>}
          {launch.imported && <span className="sld-chip sld-chip-imported">imported</span>}
        </span>
        <span className="sld-row-sub sld-muted" title={launch.statusReason}>
          <span className="sld-row-when">
            {formatClock(launch.startedAt)} · {formatDuration(duration)}
          </span>
          {failing && (
            <span className="sld-row-failing" title={launch.tenant ? `tenant ${launch.tenant}` : undefined}>
              {' '}
              · failed at {failing.text}
            </span>
          )}
          {launch.status !== 'failed' && launch.status !== 'succeeded' && (
            <span className="sld-row-note"> · {STATUS_NOTE[launch.status]}</span>
          )}
        </span>
      </span>
    </>
  );
});
