import { isOk, normBase } from '../../launch/correlate';
import type { Step } from '../../model';
import { splitUrl } from '../../url/split';
import { tokenBody } from '../context';
import { challengeDescription } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/**
 * What a HAR's FHIR request without an Authorization header says, or '' when it has one or is no HAR
 * request: a FHIR read of the same file that succeeded without one shows the export removed them
 * (Chrome's default "sanitized" export); otherwise either may be true.
 */
export function noBearerInFile(step: Step, fhir: readonly Step[]): string {
  const ex = step.exchange;
  if (ex.source !== 'har' || ex.secretFacts?.tokenFingerprint) return '';
  const servedWithout = fhir.some(
    (s) =>
      s !== step &&
      s.exchange.source === 'har' &&
      !s.exchange.secretFacts?.tokenFingerprint &&
      isOk(s.exchange.status),
  );
  return servedWithout
    ? 'The file has no Authorization headers, but another FHIR request without one succeeded: the file was saved without them (Chrome’s default “sanitized” export), so it cannot show which token was sent.'
    : 'The request in the file has no Authorization header: either the app sent no access token (which the server would refuse too), or the file was saved without it (Chrome’s default “sanitized” export removes Authorization).';
}

/** Seconds before its end in which a token's refusal is still its expiry: clocks of two servers differ. */
const CLOCK_SKEW_S = 60;

/**
 * FHIR answered 401 invalid_token: the app's token is not usable (an error), unless a later FHIR call
 * succeeded (the app refreshed or relaunched and went on: a warning).
 */
export const tokenExpired: Rule = {
  id: 'token-expired',
  severity: 'error',
  title: 'Access token expired or invalid',
  detect(launch, ctx) {
    // Without a WWW-Authenticate header (not in the file), a 401 to a FHIR request is the token refused too.
    const step = ctx.fhir.find((s) => {
      if (s.exchange.status !== 401) return false;
      const challenge = s.exchange.responseHeaders['www-authenticate'];
      return challenge === undefined || /invalid_token/.test(challenge);
    });
    if (!step) return [];
    // The token in use then: the last refresh before the refusal that brought one, else the code's.
    const refreshed = launch.steps.findLast(
      (s) =>
        s.kind === 'refresh' &&
        !s.failed &&
        isOk(s.exchange.status) &&
        s.exchange.startedAt < step.exchange.startedAt &&
        tokenBody(s.exchange)?.kind === 'token',
    );
    const tok = refreshed ? { step: refreshed, body: tokenBody(refreshed.exchange) } : ctx.tokenSuccess;
    let expiresIn = tok?.body?.kind === 'token' ? tok.body.value.expires_in : undefined;
    let age = tok ? Math.round((step.exchange.startedAt - tok.step.exchange.startedAt) / 1000) : undefined;
    // Without the token response (a file saved without bodies), the JWT the request sent says when it
    // was issued and until when it holds.
    const sent = step.exchange.secretFacts;
    const byJwt =
      (expiresIn === undefined || age === undefined) &&
      sent?.bearerIat !== undefined &&
      sent.bearerExp !== undefined;
    if (byJwt) {
      expiresIn = sent.bearerExp! - sent.bearerIat!;
      age = Math.round(step.exchange.startedAt / 1000 - sent.bearerIat!);
    }
    const expired = expiresIn !== undefined && age !== undefined && age >= expiresIn;
    // In the last minute of its lifetime: expiry, as two servers' clocks tell it.
    const nearEnd =
      expiresIn !== undefined && age !== undefined && !expired && age >= expiresIn - CLOCK_SKEW_S;
    // Refused well within the lifetime the server gave it, or, its lifetime unknown, right after it was
    // issued (the app's first use of it): not expiry. Later, a token of unknown lifetime may have
    // expired: test servers issue tokens of seconds (the sandbox's short-token app: 30 s).
    const early =
      (expiresIn !== undefined && age !== undefined && !expired && !nearEnd) ||
      (expiresIn === undefined && age !== undefined && age < YOUNG_S);
    // Sent to another FHIR base than the launch's (another tenant, another server): a token is for the
    // server the authorize request named in aud, the launch's iss.
    const issBase = normBase(launch.iss);
    const sentTo = normBase(step.exchange.url);
    const elsewhere =
      issBase !== '' && !sentTo.startsWith(`${issBase}/`) && sentTo !== issBase ? launch.iss : undefined;
    const askedRefresh = ctx.requested.some(
      (sc) => sc.raw === 'online_access' || sc.raw === 'offline_access',
    );
    const hasRefresh = tok?.body?.kind === 'token' && !!tok.body.value.refresh_token;
    // The app did refresh (before the refusal or upon it), and was refused: refreshing is no way out.
    const refreshRefused = launch.steps.some((s) => s.kind === 'refresh' && s.failed);
    const recovered = ctx.fhir.some(
      (s) => !s.failed && s.exchange.startedAt > step.exchange.startedAt && s.exchange.status === 200,
    );
    // A HAR keeps request headers, unless it was saved sanitized (Chrome's default export).
    const inFile = noBearerInFile(step, ctx.fhir);
    const noBearer = inFile ? ` ${inFile}` : '';
    // What the request sent, when the file shows it was not this launch's current access token.
    const wrong = wrongBearer(step, launch.steps);
    if (wrong) {
      return [
        finding(
          this,
          `${wrong.summary}${serverSays(step)}`,
          [
            ev('FHIR response', step.exchange.responseHeaders['www-authenticate'] ?? '401', step),
            ...wrong.evidence,
          ],
          [advice(wrong.fix)],
          { title: wrong.title, ...(recovered ? { severity: 'warning' as const } : {}) },
        ),
      ];
    }
    return [
      finding(
        this,
        (expired
          ? `The FHIR server refused the token ${age} s${inHours(age!)} after it was issued; it was valid for ${expiresIn} s${byJwt ? ' (by the iat and exp of the token the request sent)' : ''}.`
          : nearEnd
            ? `The FHIR server refused the token ${age} s after it was issued, ${expiresIn! - age!} s before the end of the ${expiresIn} s it was given: expired as its clock tells it (servers' clocks differ by seconds).`
            : early
              ? elsewhere
                ? `The FHIR server refused the access token ${age} s after it was issued, ${expiresIn !== undefined ? `well within the ${expiresIn} s it was given` : 'too soon for it to have expired'}: not expiry. The request went to ${splitUrl(step.exchange.url).base}, outside the launch's FHIR server ${elsewhere} (its iss, the aud the token was issued for): a token is good for that server only, not for another tenant or server.`
                : `The FHIR server refused the access token ${age} s after it was issued, ${expiresIn !== undefined ? `well within the ${expiresIn} s it was given` : 'too soon for it to have expired'}: not expiry. It was revoked, was issued for another server (aud), or this FHIR server does not accept tokens of that authorization server.`
              : age !== undefined && expiresIn === undefined
                ? `The FHIR server refused the access token ${age} s${inHours(age)} after it was issued. How long it was valid is unknown (the token response's body was not recorded, and the request's token was not read): it expired if its lifetime was shorter than that (test servers issue tokens that last seconds or minutes), else it was revoked or issued for another server (aud).${elsewhere ? ` The request went to ${splitUrl(step.exchange.url).base}, outside the launch's FHIR server ${elsewhere} (its iss, the aud the token was issued for): a token is good for that server only.` : ''}`
                : 'The FHIR server refused the access token as invalid (expired or revoked).') +
          serverSays(step) +
          noBearer,
        [
          ev('FHIR response', step.exchange.responseHeaders['www-authenticate'] ?? '401', step),
          ...(expiresIn !== undefined
            ? [
                byJwt
                  ? ev('lifetime (exp − iat of the token sent)', `${expiresIn} s`, step)
                  : ev('expires_in', expiresIn, tok?.step),
              ]
            : []),
          ...(age !== undefined ? [ev('token age', `${age} s`, byJwt ? step : tok?.step)] : []),
        ],
        [
          advice(
            refreshRefused
              ? 'Relaunch to sign in again: the server refused the refresh token (see “Token refresh refused”).'
              : early && elsewhere
                ? `Send FHIR requests to ${elsewhere}, the server the token was issued for; for another tenant or server, launch against it (its iss) to get a token of its own.`
                : early
                  ? "Check that the authorize request's aud is this FHIR server's base URL and that the server accepts the authorization server's tokens, then relaunch."
                  : expiresIn === undefined && age !== undefined && !hasRefresh
                    ? `Keep DevTools open on the app's tab and launch again to record the token response: its expires_in tells expiry (a token older than that) from refusal; refresh tokens before they expire${askedRefresh ? '' : ' (online_access/offline_access brings a refresh token)'}.`
                    : hasRefresh
                      ? 'Refresh the token before it expires (a minute early: clocks differ).'
                      : askedRefresh && tok?.body?.kind === 'token'
                        ? 'Relaunch: the server issued no refresh token, although the app asked for online_access or offline_access.'
                        : askedRefresh
                          ? 'Refresh the token before it expires with the refresh token the app asked for (online_access/offline_access), or relaunch.'
                          : 'Request online_access/offline_access to get a refresh token, or relaunch.',
          ),
          ...relaunch(ctx),
        ],
        {
          ...(recovered ? { severity: 'warning' as const } : {}),
          // Refused well within its lifetime: the title must not say it expired.
          ...(early
            ? { title: 'Access token refused before it expired' }
            : expired || nearEnd
              ? { title: 'Access token expired' }
              : {}),
        },
      ),
    ];
  },
};

/** Refused this soon after it was issued (its first use), a token of unknown lifetime did not expire. */
const YOUNG_S = 2;

/**
 * " (25 min)", " (10 min 41 s)", " (15 h 50 min)" after a count of seconds of two minutes or more, which
 * nobody reads as such at a glance; else ''.
 */
function inHours(seconds: number): string {
  if (seconds < 120) return '';
  if (seconds < 3600) {
    const s = Math.round(seconds % 60);
    return ` (${Math.floor(seconds / 60)} min${s ? ` ${s} s` : ''})`;
  }
  const minutes = Math.floor(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return ` (${days ? `${days} d ` : ''}${h} h ${m} min)`;
}

/**
 * The 401 request sent something else than the launch's current access token, as a HAR with its request
 * headers shows: no token at all (`Bearer undefined`), the id_token, or the token a refresh replaced.
 */
function wrongBearer(
  step: Step,
  steps: readonly Step[],
): { summary: string; title: string; fix: string; evidence: ReturnType<typeof ev>[] } | undefined {
  const facts = step.exchange.secretFacts;
  if (facts?.bearerOddity)
    return {
      title: 'FHIR request without its access token',
      summary: `${step.label} sent "Authorization: Bearer ${facts.bearerOddity === '(empty)' ? '' : facts.bearerOddity}", no token: the app made the request without the access token in hand (read before the token response arrived, or from the wrong place).`,
      fix: 'Make FHIR requests with the access_token of the token response, once it has arrived (fhirclient: client.request() adds it).',
      evidence: [ev('Authorization sent', `Bearer ${facts.bearerOddity}`, step)],
    };
  const sent = facts?.tokenFingerprint;
  if (!sent) return undefined;
  const at = step.exchange.startedAt;
  const issued = steps.filter(
    (s) =>
      (s.kind === 'token' || s.kind === 'refresh') &&
      !s.failed &&
      s.exchange.startedAt < at &&
      (s.exchange.secretFacts?.tokenFingerprint || s.exchange.secretFacts?.idTokenFingerprint),
  );
  const byIdToken = issued.find((s) => s.exchange.secretFacts?.idTokenFingerprint === sent);
  if (byIdToken)
    return {
      title: 'id_token sent instead of the access token',
      summary: `${step.label} sent the id_token of ${byIdToken.label} as its bearer token. The id_token tells the app who signed in; FHIR servers take the access_token.`,
      fix: 'Send the access_token of the token response as the bearer token (Authorization: Bearer <access_token>), not its id_token.',
      evidence: [ev('bearer token sent', 'the id_token', byIdToken)],
    };
  const latest = issued.filter((s) => s.exchange.secretFacts?.tokenFingerprint).at(-1);
  const older = issued.find((s) => s.exchange.secretFacts?.tokenFingerprint === sent);
  if (latest && older && older !== latest && latest.kind === 'refresh')
    return {
      title: 'Old access token sent after a refresh',
      summary: `${step.label} sent the access token of ${older.label}, which the ${latest.label} ${Math.round((at - latest.exchange.startedAt) / 1000)} s earlier replaced: the app kept using the old one.`,
      fix: 'After a refresh, send the access_token of the refresh response on every request (fhirclient does when the app uses client.request()).',
      evidence: [
        ev('bearer token sent', `the one of ${older.label}`, older),
        ev('replaced by', latest.label, latest),
      ],
    };
  return undefined;
}

/** ` The server says: “…”.` from a 401's challenge, '' without an error_description. */
function serverSays(step: Step): string {
  const said = challengeDescription(step.exchange);
  return said ? ` The server says: “${said}”.` : '';
}
