import { useId } from 'react';
import type { ServerEntry } from '../lib/config-schema';
import { type LaunchKind, scopePreset, standaloneScope } from '../lib/scope-presets';

/** The scope string, editable, with known-good v1/v2 presets for the server's persona. */
export function ScopeEditor(props: {
  server: ServerEntry;
  kind: LaunchKind;
  value: string;
  onChange: (scope: string) => void;
}) {
  const id = useId();
  const { server, kind } = props;
  return (
    <div>
      <label htmlFor={id}>Scopes</label>
      <textarea
        id={id}
        value={props.value}
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        Space-separated. Oracle drops wildcards, and drops v1 <code>.read</code> scopes for apps registered as
        SMART v2.
      </p>
      <fieldset className="row presets">
        <legend className="visually-hidden">Scope presets</legend>
        <button type="button" onClick={() => props.onChange(scopePreset(server.persona, 'v1', kind))}>
          SMART v1 preset
        </button>
        <button type="button" onClick={() => props.onChange(scopePreset(server.persona, 'v2', kind))}>
          SMART v2 preset
        </button>
        <button
          type="button"
          onClick={() =>
            props.onChange(
              kind === 'standalone' ? standaloneScope(server.scope, server.persona) : server.scope,
            )
          }
        >
          As configured
        </button>
      </fieldset>
    </div>
  );
}
