import type { KeyboardEvent } from 'react';
import type { ClearPlan, ClearReport } from '../../utils/session/types';
import { Button } from '../common/Button';
import { CookieList } from './CookieList';

export type ClearSessionState =
  | { step: 'loading' }
  | { step: 'confirm'; plan: ClearPlan; ticked: ReadonlySet<string> }
  | { step: 'clearing'; plan: ClearPlan; ticked: ReadonlySet<string> }
  | { step: 'done'; report: ClearReport }
  | { step: 'error'; message: string };

/** The state after the user ticks or unticks a parent-domain cookie (only while confirming). */
export function toggleParentCookie(
  state: ClearSessionState | undefined,
  id: string,
): ClearSessionState | undefined {
  if (state?.step !== 'confirm') return state;
  const ticked = new Set(state.ticked);
  if (!ticked.delete(id)) ticked.add(id);
  return { ...state, ticked };
}

interface Props {
  state: ClearSessionState;
  onToggleParent: (id: string) => void;
  onConfirm: () => void;
  onClose: () => void;
  /** Shown over other content (the launch log): an alert dialog. */
  dialog?: boolean;
}

const isEmpty = (plan: ClearPlan) =>
  plan.hostCookies.length + plan.parentDomainCookies.length + plan.storage.length === 0;

const STORAGE_NAMES: Record<string, string> = {
  localStorage: 'localStorage',
  indexedDB: 'IndexedDB',
  cacheStorage: 'Cache storage',
  serviceWorkers: 'service workers',
};

/** The heading is keyed by step, so each step change focuses it again and screen readers follow along. */
function focusOnMount(element: HTMLHeadingElement | null) {
  element?.focus();
}

/**
 * Lists what "Clear session" will remove, asks, and afterwards says what was removed. Shared by the popup
 * and the launch log. Parent-domain cookies (e.g. `.cerner.com`) are sent to sibling sites too, so each one
 * is opt-in.
 */
export function ClearSessionPanel({ state, onToggleParent, onConfirm, onClose, dialog }: Props) {
  const empty = (state.step === 'confirm' || state.step === 'clearing') && isEmpty(state.plan);
  // Escape closes it, as its Cancel or Close does (in the popup too, where it is no dialog).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && (dialog || state.step !== 'clearing')) onClose();
  };
  const heading =
    state.step === 'done'
      ? 'Session cleared'
      : state.step === 'error'
        ? 'Could not clear the session'
        : state.step === 'loading'
          ? 'Clear session'
          : `Clear the session of ${state.plan.host}?`;
  return (
    <section
      className="sld-clear"
      role={dialog ? 'alertdialog' : undefined}
      aria-labelledby="sld-clear-heading"
      aria-busy={state.step === 'loading' || state.step === 'clearing'}
      onKeyDown={onKeyDown}
    >
      <h2 id="sld-clear-heading" tabIndex={-1} key={state.step} ref={focusOnMount}>
        {heading}
      </h2>
      {state.step === 'loading' && <p>Looking up what would be removed…</p>}
      {state.step === 'error' && <p role="alert">{state.message}</p>}
      {(state.step === 'confirm' || state.step === 'clearing') &&
        (empty ? (
          <p>Nothing is stored for {state.plan.host}.</p>
        ) : (
          <PlanView state={state} onToggleParent={onToggleParent} />
        ))}
      {state.step === 'done' && <ReportView report={state.report} />}
      <div className="sld-clear-actions">
        {(state.step === 'confirm' || state.step === 'clearing') && (
          <Button variant="danger" onClick={onConfirm} disabled={state.step === 'clearing' || empty}>
            {state.step === 'clearing' ? 'Removing…' : `Remove from ${state.plan.host}`}
          </Button>
        )}
        <Button onClick={onClose}>
          {state.step === 'done' || state.step === 'error' ? 'Close' : 'Cancel'}
        </Button>
      </div>
    </section>
  );
}

function PlanView({
  state,
  onToggleParent,
}: {
  state: Extract<ClearSessionState, { step: 'confirm' | 'clearing' }>;
  onToggleParent: (id: string) => void;
}) {
  const { plan, ticked } = state;
  return (
    <>
      <p>
        Removes what <strong>{plan.origin}</strong> stores:{' '}
        {plan.storage.length > 0
          ? `its ${plan.storage.map((s) => STORAGE_NAMES[s] ?? s).join(', ')}, and `
          : ''}
        these cookies. Other sites keep theirs.
      </p>
      {plan.hostCookies.length === 0 ? (
        <p className="sld-muted">No cookies of {plan.host} are stored.</p>
      ) : (
        <CookieList
          caption={`Cookies of ${plan.host} (${plan.hostCookies.length})`}
          cookies={plan.hostCookies}
        />
      )}
      {plan.parentDomainCookies.length > 0 && (
        <CookieList
          caption="Shared with every sibling site — kept unless ticked"
          cookies={plan.parentDomainCookies}
          selectable={{ selected: ticked, onToggle: onToggleParent }}
        />
      )}
    </>
  );
}

function ReportView({ report }: { report: ClearReport }) {
  return (
    <div role="status">
      <p>
        Removed {report.removed.length} cookie{report.removed.length === 1 ? '' : 's'}
        {report.storage.cleared.length > 0 ? ` and the site storage of ${report.origin}` : ''}.
      </p>
      {report.removed.length > 0 && <CookieList caption="Removed" cookies={report.removed} />}
      {report.failed.length > 0 && (
        <div role="alert">
          <p>Not removed:</p>
          <ul>
            {report.failed.map((f) => (
              <li key={f.cookie.id}>
                <code>{f.cookie.name}</code> ({f.cookie.domain}): {f.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {report.storage.error && <p role="alert">Site storage was not cleared: {report.storage.error}</p>}
      {report.kept.length > 0 && (
        <p className="sld-muted">
          Kept {report.kept.length} shared cookie{report.kept.length === 1 ? '' : 's'}:{' '}
          {report.kept.map((c) => c.name).join(', ')}.
        </p>
      )}
    </div>
  );
}
