import type { fhirclient } from 'fhirclient/lib/types';
import { relaunchOptions } from '../lib/authorize-options';
import type { LaunchRecord } from '../lib/launch-record';

export interface RelaunchDeps {
  authorize: (opts: fhirclient.AuthorizeParams) => Promise<unknown>;
  /** The launcher page (`<base>`), for EHR launches and when nothing was recorded. */
  launcherUrl: string;
}

/**
 * A standalone launch is repeated as it was. An EHR launch code is single-use, so the EHR must launch
 * again; the button then leads to the launcher instead of replaying a dead code.
 */
export function RelaunchButton({ record, authorize, launcherUrl }: RelaunchDeps & { record?: LaunchRecord }) {
  if (!record || record.kind === 'ehr')
    return (
      <a
        className="button"
        href={launcherUrl}
        title={
          record
            ? 'EHR launch codes are single-use: launch again from the EHR, or start a standalone launch'
            : undefined
        }
      >
        {record ? 'Relaunch (standalone launcher)' : 'Relaunch'}
      </a>
    );
  return (
    <button type="button" onClick={() => void authorize(relaunchOptions(record))}>
      Relaunch
    </button>
  );
}
