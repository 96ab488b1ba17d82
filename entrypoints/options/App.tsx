import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/common/Button';
import { Switch } from '../../components/common/Switch';
import { hostPermissionPatterns, parseHost } from '../../utils/dnr/hosts';
import type { StripChange } from '../../utils/dnr/service';
import type { StripRuleState } from '../../utils/dnr/types';
import { errorMessage } from '../../utils/errors';
import type { OptionsPlatform } from './platform';

const message = errorMessage;

export function App({ platform }: { platform: OptionsPlatform }) {
  const { call } = platform;
  const [state, setState] = useState<StripRuleState>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState('');

  useEffect(() => {
    call('rules/get').then(setState, (e) => setError(message(e)));
  }, [call]);

  const change = async (payload: StripChange) => {
    setBusy(true);
    setError(undefined);
    try {
      setState(await call('rules/set', payload));
      return true;
    } catch (e) {
      setError(message(e));
      call('rules/get').then(setState, () => undefined);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const addHost = (event: FormEvent) => {
    event.preventDefault();
    if (!state) return;
    const parsed = parseHost(draft);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    if (state.hosts.includes(parsed.host)) {
      setError(`${parsed.host} is already listed.`);
      return;
    }
    // Requested before any await, while the click still counts as a user gesture.
    const granted = platform.requestHostPermissions(hostPermissionPatterns(parsed.host));
    granted
      .then(async (ok) => {
        if (!ok) {
          setError(`Access to ${parsed.host} was not granted, so it was not added.`);
          return;
        }
        if (await change({ hosts: [...state.hosts, parsed.host] })) setDraft('');
      })
      .catch((e) => setError(message(e)));
  };

  return (
    <main className="sld-root sldo">
      <h1>SMART Launch Debugger options</h1>
      <section aria-labelledby="sldo-strip">
        <h2 id="sldo-strip">Strip forceAuthn</h2>
        <Switch
          label="Strip forceAuthn"
          checked={state?.enabled ?? false}
          disabled={busy || !state}
          onChange={(enabled) => change({ enabled })}
          description="Removes the forceAuthn parameter from session-api navigations to the hosts below, so an existing session does not make the launch fail with HTTP 400."
        />
        <Switch
          label="Also remove isForceAuthn inside to="
          checked={state?.stripNested ?? true}
          disabled={busy || !state}
          onChange={(stripNested) => change({ stripNested })}
          description="Oracle also encodes isForceAuthn=true inside the to= parameter; both are removed in the same redirect."
        />
      </section>
      <section aria-labelledby="sldo-hosts">
        <h2 id="sldo-hosts">Authorization servers</h2>
        <ul className="sldo-hosts">
          {state?.hosts.map((host) => (
            <li key={host}>
              <code>{host}</code>{' '}
              <Button
                aria-label={`Remove ${host}`}
                disabled={busy || state.hosts.length === 1}
                onClick={() => change({ hosts: state.hosts.filter((h) => h !== host) })}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <form onSubmit={addHost} className="sldo-add">
          <label htmlFor="sldo-new-host">Add a host</label>
          <input
            id="sldo-new-host"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="authorization.example.org"
            autoComplete="off"
            spellCheck={false}
          />
          <Button type="submit" variant="primary" disabled={busy || !state}>
            Add
          </Button>
        </form>
        <p className="sld-muted">Hosts other than *.cerner.com ask for access to that host when added.</p>
      </section>
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
