import { clearSession, enableStripRule, relaunch } from '../fixes';
import { cookieSummary, sessionApiRejection } from '../session-api';
import { ev, finding, type Rule } from '../types';

/**
 * Oracle adds `forceAuthn=true` to its session-api hop; with a session for authorization.cerner.com
 * already in the browser that hop answers 400. Told apart from an oversized request by size.
 */
export const forceAuthnSession: Rule = {
  id: 'force-authn-session',
  severity: 'error',
  title: 'forceAuthn rejected because a session already exists',
  detect(launch, ctx) {
    for (const step of launch.steps) {
      const f = sessionApiRejection(step);
      if (!f || !(f.forceAuthn || f.nestedForceAuthn)) continue;
      if (f.verdict !== 'session-present' && f.verdict !== 'session-unknown') continue;
      const known = f.verdict === 'session-present';
      const summary = known
        ? `Oracle's session-api hop asked for a forced re-login (forceAuthn=true) while the browser already held ${f.cookieCount} ${f.cookieCount === 1 ? 'cookie' : 'cookies'} for ${step.decoded?.host}, and answered ${f.status}. The request is only ${f.requestBytes} bytes, so its size is not the cause.`
        : `Oracle's session-api hop asked for a forced re-login (forceAuthn=true) and answered ${f.status}. The cookies sent were not recorded; an existing session is the usual cause.`;
      return [
        finding(
          this,
          summary,
          [
            ev('status', f.status, step),
            ev('forceAuthn (top level)', f.forceAuthn, step),
            ev('isForceAuthn inside to=', f.nestedForceAuthn, step),
            ev('cookies sent', cookieSummary(f), step),
            ev('URL length', `${f.urlLength} characters`, step),
            ...(step.exchange.responseHeaders['cerner-correlation-id']
              ? [ev('Cerner-Correlation-Id', step.exchange.responseHeaders['cerner-correlation-id'], step)]
              : []),
          ],
          [enableStripRule(), clearSession(), ...relaunch(ctx)],
          // Without the cookies sent, the session is the likely cause, not a fact.
          known ? {} : { title: 'forceAuthn rejected, most likely because a session already exists' },
        ),
      ];
    }
    return [];
  },
};
