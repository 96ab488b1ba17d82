import type { Launch } from '../../utils/model';
import { StatusIcon } from '../launch/StatusIcon';
import { summarizeLastLaunch } from './lastLaunch';

/** The outcome of the most recent launch: status icon and headline, then the reason, whole. */
export function LastLaunch({ launches, now }: { launches: Launch[] | undefined; now?: number }) {
  const summary = summarizeLastLaunch(launches, now);
  return (
    <section className="sldp-last" aria-label="Last launch" aria-live="polite" data-status={summary.status}>
      <p className="sldp-last-line">
        {summary.status && <StatusIcon status={summary.status} />} {summary.text}
      </p>
      {summary.reason && <p className="sld-status-reason">{summary.reason}</p>}
    </section>
  );
}
