import { useEffect, useRef, useState } from 'react';
import type { ClearPlan, CookieInfo } from '../../utils/session/types';
import { Button } from '../common/Button';

export interface ClearSessionState {
  origin: string;
  /** What a clear would remove, as the background planned it; undefined while loading. */
  plan?: ClearPlan;
  error?: string;
  busy?: boolean;
}

interface Props {
  state: ClearSessionState;
  /** Called with the ids of the parent-domain cookies the user ticked. */
  onConfirm: (parentDomainCookieIds: string[]) => void;
  onCancel: () => void;
}

function cookieText(cookie: CookieInfo): string {
  const where = `${cookie.domain}${cookie.path}`;
  return `${cookie.name} (${where}${cookie.partitionSite ? `, partitioned under ${cookie.partitionSite}` : ''}, ${cookie.size} B)`;
}

/**
 * Shows exactly what "clear session" will delete and asks before doing it. Parent-domain cookies
 * (e.g. `.cerner.com`) are sent to sibling sites too, so each one is opt-in.
 */
export function ClearSessionDialog({ state, onConfirm, onCancel }: Props) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  // Focus starts on Cancel: the safe choice for a destructive confirmation.
  useEffect(() => dialogRef.current?.querySelector<HTMLButtonElement>('[data-cancel]')?.focus(), []);
  const plan = state.plan;
  const ready = plan !== undefined && !state.error;
  const empty = plan && plan.hostCookies.length + plan.parentDomainCookies.length + plan.storage.length === 0;
  const toggle = (id: string) =>
    setTicked((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div
      ref={dialogRef}
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
      {!state.error && !plan && <p className="sld-muted">Looking up what would be removed…</p>}
      {plan && empty && <p>Nothing is stored for {plan.host}.</p>}
      {plan && plan.hostCookies.length + plan.storage.length > 0 && (
        <>
          <p>These will be removed:</p>
          <ul className="sld-plan" aria-label="Will be removed">
            {plan.hostCookies.map((c) => (
              <li key={c.id}>
                cookie <code>{cookieText(c)}</code>
              </li>
            ))}
            {plan.storage.map((kind) => (
              <li key={kind}>
                {kind} of <code>{plan.origin}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {plan && plan.parentDomainCookies.length > 0 && (
        <fieldset className="sld-plan-optional">
          <legend>
            Also shared with other sites of the same domain (removing them may sign you out there):
          </legend>
          {plan.parentDomainCookies.map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={ticked.has(c.id)} onChange={() => toggle(c.id)} /> cookie{' '}
              <code>{cookieText(c)}</code>
            </label>
          ))}
        </fieldset>
      )}
      <div className="sld-actions">
        <Button
          variant="danger"
          disabled={!ready || state.busy || empty}
          onClick={() => onConfirm([...ticked])}
        >
          {state.busy ? 'Clearing…' : 'Clear session'}
        </Button>
        <Button data-cancel onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
