import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../utils/errors';
import type { ClearPlan, ClearReport } from '../../utils/session/types';
import { type ClearSessionState, toggleParentCookie } from './ClearSessionPanel';

/** What clearing a session needs from the background (the log's api has exactly these). */
export interface ClearSessionApi {
  planSession(origin: string): Promise<ClearPlan>;
  clearSession(origin: string, parentDomainCookies: string[]): Promise<ClearReport>;
}

const text = errorMessage;

/**
 * The clear-session flow behind ClearSessionPanel, for the popup and the launch log: plan, let the user
 * tick parent-domain cookies, clear, report. A plan that arrives after the panel was closed is dropped.
 */
export function useClearSession(api: ClearSessionApi, returnFocus?: RefObject<HTMLElement | null>) {
  const [state, setState] = useState<ClearSessionState>();
  // Closed (Escape, Cancel, Close), focus goes back to the button that opened it: the element focused
  // then, or `returnFocus` when that one is gone (the popup shows the panel in the button's place).
  const opener = useRef<HTMLElement | null>(null);
  const [closed, setClosed] = useState(0);
  useEffect(() => {
    if (closed === 0) return;
    const target = opener.current?.isConnected ? opener.current : returnFocus?.current;
    opener.current = null;
    target?.focus();
  }, [closed, returnFocus]);

  const open = useCallback(
    (origin: string) => {
      const active = document.activeElement;
      opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
      setState({ step: 'loading' });
      api.planSession(origin).then(
        (plan) => setState((s) => s && { step: 'confirm', plan, ticked: new Set() }),
        (error) =>
          setState(
            (s) => s && { step: 'error', message: `Cannot list what would be cleared: ${text(error)}` },
          ),
      );
    },
    [api],
  );

  const toggle = useCallback((id: string) => setState((s) => toggleParentCookie(s, id)), []);

  const confirm = () => {
    if (state?.step !== 'confirm') return;
    const { plan, ticked } = state;
    setState({ step: 'clearing', plan, ticked });
    api.clearSession(plan.origin, [...ticked]).then(
      (report) => setState({ step: 'done', report }),
      (error) => setState({ step: 'error', message: `Clearing failed: ${text(error)}` }),
    );
  };

  const close = useCallback(() => {
    setState(undefined);
    setClosed((n) => n + 1);
  }, []);

  return { state, open, toggle, confirm, close };
}
