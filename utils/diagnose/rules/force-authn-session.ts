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
      if (f.verdict === 'too-large') continue;
      const known = f.verdict === 'session-present';
      // What the hop carried: the top-level parameter, or only the flag inside its to= URL.
      const asked = f.forceAuthn ? '(forceAuthn=true)' : '(isForceAuthn=true inside its to= URL)';
      // No cookies sent: the session the 400 answers may live in the origin's storage (section 1 of
      // the Oracle reference: cookies or storage), which clearing removes too.
      const none = f.verdict === 'no-session';
      const summary = none
        ? `Oracle's session-api hop asked for a forced re-login ${asked} and answered ${f.status}, although the request carried no cookies for ${step.decoded?.host}. A session kept in that origin's storage can still cause it; clearing its cookies and storage, or stripping forceAuthn, is what to try.`
        : known
          ? `Oracle's session-api hop asked for a forced re-login ${asked} while the browser already held ${f.cookieCount} ${f.cookieCount === 1 ? 'cookie' : 'cookies'} for ${step.decoded?.host}, and answered ${f.status}. The request is only ${f.requestBytes} bytes, so its size is not the cause.`
          : `Oracle's session-api hop asked for a forced re-login ${asked} and answered ${f.status}. The cookies sent were not recorded; an existing session is the usual cause.`;
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
          known
            ? {}
            : none
              ? { title: 'forceAuthn rejected although no cookies were sent' }
              : { title: 'forceAuthn rejected, most likely because a session already exists' },
        ),
      ];
    }
    return [];
  },
};
