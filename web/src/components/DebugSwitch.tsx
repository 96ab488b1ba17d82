import { useId, useState } from 'react';
import { debugLogsEnabled, FHIR_DEBUG_PATTERN, setDebugLogs } from '../lib/debug-logs';

/** Turns fhirclient's console logs on or off (they start with the next page load). */
export function DebugSwitch({ storage }: { storage: Storage }) {
  const [on, setOn] = useState(() => debugLogsEnabled(storage));
  const id = useId();
  return (
    <label className="server-option">
      <input
        type="checkbox"
        role="switch"
        aria-checked={on}
        aria-labelledby={`${id}-name`}
        aria-describedby={`${id}-hint`}
        checked={on}
        onChange={(e) => {
          setDebugLogs(storage, e.target.checked);
          setOn(e.target.checked);
        }}
      />
      <span>
        <span id={`${id}-name`}>fhirclient debug logs</span> (
        <code>localStorage.debug = "{FHIR_DEBUG_PATTERN}"</code>)
        <span className="hint" id={`${id}-hint`}>
          {' '}
          — from the next page load; the console will then show tokens.
        </span>
      </span>
    </label>
  );
}
