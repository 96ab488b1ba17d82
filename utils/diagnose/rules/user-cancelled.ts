import { isOracleHost, isOracleUrl } from '../../capture/relevance';
import { responseIssuer } from '../../launch/classify';
import type { Step } from '../../model';
import { findOracleUrn } from '../../smart/oracle-errors';
import { getParam } from '../../url';
import { splitUrl } from '../../url/split';
import { errorDescription, saidByServer, urnIn } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

const SIGN_IN_CANCELLED = 'grant:session-service:authentication:cancelled';
const DENIED_BY_USER = 'grant:denied-by-user';

/**
 * How the user stopped a launch, read from a callback's `error=access_denied` and the Oracle URN in
 * its `error_uri`: cancelled the sign-in page, or declined the access the app asked for. Another
 * authorization server (`authHost`, not Oracle's) says no more than access_denied, which RFC 6749
 * §4.1.2.1 gives to "the resource owner or authorization server denied the request": `access-denied`.
 * Oracle names its own refusals (missing patient, denied by the server), so there a bare access_denied
 * stays unexplained here. The launch status (utils/launch/status.ts) and this rule share it, so they
 * never disagree.
 */
export function cancellationOf(
  step: Step,
  authHost: string | undefined,
): 'sign-in' | 'denied' | 'access-denied' | undefined {
  if (step.kind !== 'callback' || getParam(step.decoded, 'error') !== 'access_denied') return undefined;
  const errorUri = getParam(step.decoded, 'error_uri');
  // Remembered with the decoded URL, as stepErrors() finds it too (errors.ts).
  const urn = step.decoded ? urnIn(step.decoded, errorUri) : findOracleUrn(errorUri);
  if (!urn) {
    // The authorize request not recorded: the issuer the response names (RFC 9207) is the server.
    const iss = responseIssuer(step.decoded);
    const host = authHost ?? (iss ? splitUrl(iss).host : undefined);
    return host && !isOracleHost(host) && !isOracleUrl(errorUri) ? 'access-denied' : undefined;
  }
  if (urn.endsWith(SIGN_IN_CANCELLED)) return 'sign-in';
  return urn.endsWith(DENIED_BY_USER) ? 'denied' : undefined;
}

/** The user cancelled sign-in or denied access: nothing is wrong with the app, the launch just stopped. */
export const userCancelled: Rule = {
  id: 'user-cancelled',
  severity: 'warning',
  title: 'Sign-in cancelled',
  detect(launch, ctx) {
    for (const step of launch.steps) {
      const how = cancellationOf(step, launch.authHost);
      if (!how) continue;
      if (how === 'access-denied') {
        const description = errorDescription(getParam(step.decoded, 'error_description'));
        return [
          finding(
            this,
            `The authorization server answered access_denied instead of a code: the user declined the access the app asked for, or the server refused it.${saidByServer(description)}`,
            [
              ev('error', 'access_denied', step),
              ...(description ? [ev('error_description', description, step)] : []),
            ],
            [
              advice(
                'Relaunch and approve the requested access. If nobody declined, the server refused: check the app’s registration with it and the scopes asked for.',
              ),
              ...relaunch(ctx),
            ],
            { title: 'Access denied' },
          ),
        ];
      }
      const denied = how === 'denied';
      return [
        finding(
          this,
          denied
            ? 'The user declined the access the app asked for, so the server sent the app access_denied instead of a code.'
            : 'The user cancelled the sign-in page, so the server sent the app access_denied instead of a code.',
          [
            ev('error', 'access_denied', step),
            ev('error_uri', findOracleUrn(getParam(step.decoded, 'error_uri')), step),
          ],
          [
            advice(
              denied
                ? 'Relaunch and approve the requested access (or ask for fewer scopes).'
                : 'Relaunch and complete sign-in.',
            ),
            ...relaunch(ctx),
          ],
          denied ? { title: 'Access denied by the user' } : {},
        ),
      ];
    }
    return [];
  },
};
