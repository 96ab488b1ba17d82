import { useCallback, useState } from 'react';
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
export function useClearSession(api: ClearSessionApi) {
  const [state, setState] = useState<ClearSessionState>();

  const open = useCallback(
    (origin: string) => {
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

  const close = useCallback(() => setState(undefined), []);

  return { state, open, toggle, confirm, close };
}
