import type { StripRuleState } from '../../utils/dnr/types';
import { Switch } from '../common/Switch';

interface Props {
  /** Undefined while the state is being read from the browser. */
  state?: StripRuleState;
  rewrites?: number;
  busy: boolean;
  error?: string;
  onToggle: (enabled: boolean) => void;
}

export function StripRuleSection({ state, rewrites, busy, error, onToggle }: Props) {
  const hosts = state?.hosts.join(', ') ?? 'authorization.cerner.com';
  return (
    <section className="sldp-section" aria-label="Strip forceAuthn rule">
      <Switch
        label="Strip forceAuthn"
        checked={state?.enabled ?? false}
        disabled={busy || state === undefined}
        onChange={onToggle}
        description={`Removes forceAuthn${state?.stripNested === false ? '' : ' (and isForceAuthn inside to=)'} from session-api navigations to ${hosts}.`}
      />
      {state?.enabled && rewrites !== undefined && (
        <p className="sld-muted" aria-live="polite">
          {rewrites === 0
            ? 'No rewrites in this tab yet.'
            : `Rewrote ${rewrites} request${rewrites === 1 ? '' : 's'} in this tab.`}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
