import { useEffect, useRef } from 'react';

export interface ClearSessionState {
  origin: string;
  /** Lines describing what will be removed; undefined while the plan is loading. */
  plan?: string[];
  error?: string;
  busy?: boolean;
}

interface Props {
  state: ClearSessionState;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Shows exactly what "clear session" will delete and asks before doing it. */
export function ClearSessionDialog({ state, onConfirm, onCancel }: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const ready = state.plan !== undefined && !state.error;
  return (
    <div
      className="sld-dialog"
      role="alertdialog"
      aria-labelledby="sld-clear-title"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h3 id="sld-clear-title">Clear the session for {state.origin}?</h3>
      {state.error && (
        <p className="sld-error-text" role="alert">
          {state.error}
        </p>
      )}
      {!state.error && state.plan === undefined && (
        <p className="sld-muted">Looking up what would be removed…</p>
      )}
      {ready &&
        (state.plan!.length === 0 ? (
          <p>Nothing is stored for this origin.</p>
        ) : (
          <>
            <p>These will be removed:</p>
            <ul className="sld-plan">
              {state.plan!.map((line) => (
                <li key={line}>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          </>
        ))}
      <div className="sld-actions">
        <button
          type="button"
          className="sld-button sld-danger"
          disabled={!ready || state.busy}
          onClick={onConfirm}
        >
          {state.busy ? 'Clearing…' : 'Clear session'}
        </button>
        <button type="button" className="sld-button" ref={cancelRef} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
