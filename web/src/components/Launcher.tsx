import { useId, useState } from 'react';
import type { ServerEntry } from '../lib/config-schema';
import { issMatches } from '../lib/iss-match';
import { standaloneScope } from '../lib/scope-presets';
import { ScopeEditor } from './ScopeEditor';

export interface StandaloneLaunch {
  server: ServerEntry;
  iss: string;
  clientId: string;
  scope: string;
}

/** Standalone launch: pick a server preset, adjust iss / client id / scopes, go. */
export function Launcher(props: {
  servers: ServerEntry[];
  /** `?iss=` on the launch page without `launch`: preselect the matching preset and use this base. */
  initialIss?: string;
  onLaunch: (l: StandaloneLaunch) => void;
}) {
  const { onLaunch, initialIss } = props;
  const presets = props.servers.filter((s) => s.iss);
  const fromLink = initialIss ? presets.find((s) => issMatches(s.issMatch, initialIss)) : undefined;
  const [selected, setSelected] = useState(fromLink ?? presets[0]);
  const [iss, setIss] = useState((fromLink ? initialIss : selected?.iss) ?? '');
  const [clientId, setClientId] = useState(selected?.clientId ?? '');
  const [scope, setScope] = useState(selected ? standaloneScope(selected.scope, selected.persona) : '');
  const ids = useId();
  if (!selected)
    return <p role="alert">No server in the configuration has an iss for a standalone launch.</p>;

  const choose = (s: ServerEntry) => {
    setSelected(s);
    setIss(s.iss ?? '');
    setClientId(s.clientId);
    setScope(standaloneScope(s.scope, s.persona));
  };
  return (
    <form
      className="card"
      aria-labelledby={`${ids}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        onLaunch({ server: selected, iss, clientId, scope });
      }}
    >
      <h2 id={`${ids}-title`}>Standalone launch</h2>
      <fieldset className="fieldset-list">
        <legend>Server</legend>
        {presets.map((s) => (
          <label key={s.id} className="server-option">
            <input
              type="radio"
              name="server"
              value={s.id}
              checked={s === selected}
              onChange={() => choose(s)}
            />
            <span>
              {s.label} <span className="muted">({s.persona})</span>
            </span>
          </label>
        ))}
      </fieldset>
      {selected.note ? <p className="hint">{selected.note}</p> : null}
      {selected.confidentialNote ? <p className="hint">{selected.confidentialNote}</p> : null}
      <label htmlFor={`${ids}-iss`}>FHIR base (iss)</label>
      <input id={`${ids}-iss`} type="url" required value={iss} onChange={(e) => setIss(e.target.value)} />
      <label htmlFor={`${ids}-client`}>Client id</label>
      <input id={`${ids}-client`} required value={clientId} onChange={(e) => setClientId(e.target.value)} />
      <ScopeEditor server={selected} kind="standalone" value={scope} onChange={setScope} />
      <p className="hint">
        Redirect URI <code>{selected.redirectUri}</code>, PKCE <code>{selected.pkceMode}</code>.
      </p>
      <button type="submit" className="primary">
        Launch
      </button>
    </form>
  );
}
