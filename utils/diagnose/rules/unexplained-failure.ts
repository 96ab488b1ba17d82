import { isOracleUrl } from '../../capture/relevance';
import { minutesText } from '../../launch/duration';
import { AUTHORIZE_LIKE } from '../../launch/refine';
import type { Evidence, Launch, Step } from '../../model';
import { explainError, findOracleUrn } from '../../smart/oracle-errors';
import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { citedIds, stepById, tokenBody } from '../context';
import { errorDescription, pageWords, saidByServer } from '../errors';
import { advice, clearSession, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Runs last: a launch that failed at a step no other rule explained still gets the facts of that step. */
export const unexplainedFailure: Rule = {
  id: 'unexplained-failure',
  severity: 'error',
  title: 'Launch failed',
  detect(launch, ctx) {
    const step = stepById(launch, launch.failedAt);
    if (!step || citedIds(ctx).has(step.exchange.id) || ctx.findings.some((f) => f.severity === 'error'))
      return [];
    const { explanation, evidence, description, errorUri } = describe(step);
    // A token request refused for its client's authentication, which it did not send at all.
    const unauthenticated = noClientAuthentication(step);
    if (unauthenticated) {
      const challenge = step.exchange.responseHeaders['www-authenticate'];
      return [
        finding(
          this,
          `${step.label} was refused (HTTP ${step.exchange.status}${unauthenticated.error ? `, ${unauthenticated.error}` : ''}) and carried no client credentials: no Authorization header, no client_secret or client_assertion in its form. The server authenticates this client, so it holds it for a confidential one${challenge ? ` (it asks for credentials: WWW-Authenticate: ${challenge})` : ''}. A confidential client's secret does not belong in a browser.${saidByServer(description)}`,
          [
            ...evidence,
            ev('Authorization sent', '(none)', step),
            ev('client credentials in the form', '(none)', step),
          ],
          [
            advice(
              "Exchange the code from the app's backend, which holds the secret (client_secret_basic: Authorization: Basic), or register the app as a public client, which sends no secret and uses PKCE.",
            ),
          ],
          { title: 'No client authentication sent' },
        ),
      ];
    }
    // Chrome's net::ERR_ABORTED (Firefox: NS_BINDING_ABORTED): the page went elsewhere before an answer,
    // or, at the 20th hop of a redirect chain, Chromium gave up following it (webRequest reports that
    // hop as aborted; the page shows ERR_TOO_MANY_REDIRECTS).
    if (!explanation && isAborted(step)) {
      // Its tab was closed while it waited: given up, not failed (utils/launch/status.ts says so).
      if (closedWhileWaiting(step, launch.steps) !== undefined) return [];
      if (abortedAtRedirectLimit(step)) {
        return [
          finding(
            this,
            `The browser stopped following redirects after ${step.exchange.hop + 1} hops (Chromium's limit is ${REDIRECT_LIMIT}) and aborted ${step.label} (${step.exchange.error}); the page shows ERR_TOO_MANY_REDIRECTS. The server kept sending the browser on.`,
            evidence,
            relaunch(ctx),
            { title: 'Too many redirects' },
          ),
        ];
      }
      return [
        finding(
          this,
          `The browser aborted ${step.label} (${step.exchange.error}) before it was answered: the tab went elsewhere first (a second click on Launch, a reload, Back, or the app navigating on). No server refused it.`,
          evidence,
          relaunch(ctx),
          { title: 'Request aborted by the browser' },
        ),
      ];
    }
    if (!explanation && refusedAuthorization(step)) {
      const status = step.exchange.status;
      // An OAuth error answered as JSON in place of a redirect (read as a token endpoint's error is).
      const answer = step.exchange.body ? tokenBody(step.exchange) : undefined;
      const oauth =
        answer?.kind === 'error' && /^[\w.-]{1,60}$/.test(answer.value.error)
          ? answer.value.error
          : undefined;
      if (oauth && oauth !== 'invalid_client' && oauth !== 'invalid_request') {
        return [
          finding(
            this,
            `The authorization server answered the authorize request with HTTP ${status} and an OAuth error as JSON (${oauth}) instead of sending the browser back to the app with it: ${Object.hasOwn(OAUTH_REFUSALS, oauth) ? OAUTH_REFUSALS[oauth] : 'it refused the request'}.${saidByServer(pageWords(step.exchange.body))}`,
            [...evidence, ev('error', oauth, step)],
            [
              advice(
                "Compare what the app asks for (its scopes, response_type and grant) with what its registration on this server allows; the server's words name what it refused.",
              ),
              ...relaunch(ctx),
            ],
            { title: `Authorization request refused (${oauth})` },
          ),
        ];
      }
      return [
        finding(
          this,
          `The authorization server answered the authorize request with HTTP ${status}${step.exchange.body?.text.trim() ? ' and a page of its own' : ''} instead of sending the browser back to the app with an error. RFC 6749 §4.1.2.1 has a server do that when the request's client_id is unknown or its redirect_uri is not registered for it (or differs from the registered one in any character), since it cannot trust that redirect URI.${saidByServer(pageWords(step.exchange.body))}`,
          evidence,
          [
            advice(
              "Compare the app's client_id and redirect_uri with its registration on this server, character for character (scheme, host, port, path, trailing slash).",
            ),
            ...relaunch(ctx),
          ],
          { title: 'Authorization request refused' },
        ),
      ];
    }
    const status = step.exchange.status;
    if (!explanation && status !== undefined && status >= 500) {
      const retry = step.exchange.responseHeaders['retry-after'];
      return [
        finding(
          this,
          `The server failed on ${step.label} (HTTP ${status}): a fault on its side${status === 502 || status === 504 ? ' or of a gateway in front of it' : ''}${AUTHORIZE_LIKE.has(step.kind) ? ', though a server also fails so on a value it cannot handle (an expired or unknown launch value): its page, when recorded, says which' : ', not something the launch sent wrong'}.${retry ? ` It asks clients to wait before trying again (Retry-After: ${retry}).` : ''}${saidByServer(description ?? pageWords(step.exchange.body))}`,
          evidence,
          [
            advice(
              'Try the launch again later; if it keeps failing, report it to the server’s operators with the time of the request.',
            ),
            ...relaunch(ctx),
          ],
          { title: `Server error at ${step.label}` },
        ),
      ];
    }
    // Oracle's mismatchted-identity (sic): the launch is for another user than the one signed in.
    if (/launch:mismatch(?:t)?ed-identity/i.test(findOracleUrn(errorUri) ?? '')) {
      const signedIn = launch.steps.some(
        (s) =>
          s.kind === 'idp-login' &&
          s.exchange.method === 'POST' &&
          s.exchange.startedAt < step.exchange.startedAt,
      );
      const user = getParam(ctx.ehrStart?.decoded, 'USR_PersonId');
      const forUser = `the user the EHR launched the app for${user ? ` (USR_PersonId ${user})` : ''}`;
      return [
        finding(
          this,
          signedIn
            ? `${step.label} failed: the user who signed in during this launch is not ${forUser}. Oracle refuses to launch an app for one user in another user’s sign-in (mismatchted-identity).${saidByServer(description)}`
            : `${step.label} failed: another user than ${forUser} is already signed in to the authorization server in this browser, and Oracle refuses to launch an app for one user in another user’s sign-in (mismatchted-identity).${saidByServer(description)}`,
          evidence,
          [
            clearSession(),
            advice(
              signedIn
                ? `Sign in as ${forUser}, or launch from the EHR as the user who signed in.`
                : `Clear the authorization.cerner.com session (or sign out), then sign in as ${forUser}.`,
            ),
            ...relaunch(ctx),
          ],
          {
            title: signedIn
              ? 'Signed in as another user than the EHR launched for'
              : (explanation?.title ?? 'Different user already signed in'),
          },
        ),
      ];
    }
    const title = explanation ? explanation.title : `${step.label} failed`;
    // The server's own words, when it gave any, say which of the code's meanings applies.
    // Without an OAuth error, the page the server answered with (a sign-in page's "session expired").
    const said = saidByServer(description ?? (explanation ? undefined : pageWords(step.exchange.body)));
    // A client assertion (private_key_jwt) already past its exp when the request was sent (RFC 7523 §3).
    const assertionExp = step.exchange.secretFacts?.assertionExp;
    const expiredBy =
      assertionExp !== undefined ? Math.round(step.exchange.startedAt / 1000 - assertionExp) : undefined;
    const lapsed =
      expiredBy !== undefined && expiredBy >= 0
        ? ` The client_assertion had expired: its exp was ${expiredBy} s before the request (a signed assertion is refused after its exp, RFC 7523 §3; make a new one, with a short exp, for each request).`
        : '';
    const paused = explanation ? '' : pauseBefore(launch, step);
    const unread = explanation || said ? '' : answerNotRecorded(step);
    const summary = explanation
      ? `${step.label} failed: ${explanation.explanation}${lapsed}${said}`
      : `The launch stopped at ${step.label}${step.exchange.status ? ` (HTTP ${step.exchange.status})` : ''}${step.exchange.error ? ` (${step.exchange.error})` : ''}.${said}${paused}${unread}`;
    const fix = lapsed
      ? 'Sign a new client_assertion for every token request, its exp a few minutes ahead, and check that the clock of the server that signs it is right.'
      : explanation?.fix;
    const fixes = fix ? [advice(fix), ...relaunch(ctx)] : relaunch(ctx);
    return [finding(this, summary, evidence, fixes, { title })];
  },
};

/**
 * A token or FHIR request answered with an error whose body, which says why (RFC 6749 §5.2's `error`
 * and `error_description`, an OperationOutcome), was not recorded: live, webRequest sees no bodies;
 * DevTools open on the tab does.
 */
function answerNotRecorded(step: Step): string {
  const { status, body, source } = step.exchange;
  if (body || status === undefined || status < 400 || source === 'har' || source === 'devtools') return '';
  if (step.kind !== 'token' && step.kind !== 'refresh' && step.kind !== 'fhir') return '';
  return " The server's answer, which says why, was not recorded: the extension reads response bodies only while DevTools is open on the tab. Open DevTools on the app's tab and launch again to see it.";
}

/**
 * A token request refused as an unauthenticated client (HTTP 401, or `invalid_client`) although it sent
 * no credentials at all: no Authorization header (read live on authorization servers: requestAuth ''),
 * nothing in its form. Undefined when it sent some, or when what it sent is not known.
 */
function noClientAuthentication(step: Step): { error?: string } | undefined {
  const ex = step.exchange;
  if ((step.kind !== 'token' && step.kind !== 'refresh') || ex.requestAuth !== '' || !ex.form)
    return undefined;
  if (
    formValue(ex.form, 'client_secret') !== undefined ||
    formValue(ex.form, 'client_assertion') !== undefined
  )
    return undefined;
  const said = ex.body ? tokenBody(ex) : undefined;
  const error = said?.kind === 'error' ? said.value.error : undefined;
  if (ex.status !== 401 && error !== 'invalid_client') return undefined;
  return error ? { error } : {};
}

function describe(step: Step): {
  explanation: ReturnType<typeof explainError>;
  evidence: Evidence[];
  description: string | undefined;
  errorUri: string | undefined;
} {
  const ex = step.exchange;
  // A token endpoint says what went wrong in its JSON body (RFC 6749 §5.2), the others in the URL.
  const tokenError =
    (step.kind === 'token' || step.kind === 'refresh') && ex.body ? tokenBody(ex) : undefined;
  const said = tokenError?.kind === 'error' ? tokenError.value : undefined;
  const error = said ? said.error : getParam(step.decoded, 'error');
  const errorUri = said ? said.error_uri : getParam(step.decoded, 'error_uri');
  const description = error
    ? errorDescription(said ? said.error_description : getParam(step.decoded, 'error_description'))
    : undefined;
  const body = ex.body?.text;
  const explanation = explainError(error, errorUri ?? (step.kind === 'error-page' ? ex.url : body));
  const evidence: Evidence[] = [ev('step', step.label, step)];
  if (ex.status !== undefined) evidence.push(ev('status', ex.status, step));
  if (ex.error) evidence.push(ev('network error', ex.error, step));
  if (error) evidence.push(ev('error', error, step));
  if (description) evidence.push(ev('error_description', description, step));
  if (errorUri) evidence.push(ev('error_uri', errorUri, step));
  if (explanation) evidence.push(ev('meaning', explanation.explanation, step));
  if (body) evidence.push(ev('response body', body.slice(0, 300), step));
  const correlation = ex.responseHeaders['cerner-correlation-id'];
  if (correlation) evidence.push(ev('Cerner-Correlation-Id', correlation, step));
  return { explanation, evidence, description, errorUri };
}

/**
 * An authorize request the server answered with a client error and no redirect: the answer RFC 6749
 * §4.1.2.1 gives to an unknown client or an unregistered redirect URI. Not on Oracle's hosts, whose
 * answer to those is a redirect to an `/errors/…` page (read by its own rules).
 */
function refusedAuthorization(step: Step): boolean {
  const { status, location, url } = step.exchange;
  return (
    (step.kind === 'authorize' || step.kind === 'loading-page') &&
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    !location &&
    !isOracleUrl(url)
  );
}

/** A sign-in page sent this long after the step before it was answered is said to have waited. */
const LONG_PAUSE_MS = 5 * 60_000;

/**
 * " It was sent 11 min after …": a sign-in step (a consent or login form) refused after the user left its
 * page open for minutes. Sign-in sessions on the server are short-lived, so the wait most likely explains
 * a refusal in words like "session expired"; '' for anything else.
 */
function pauseBefore(launch: Launch, step: Step): string {
  const status = step.exchange.status;
  if (step.kind !== 'idp-login' || status === undefined || status < 400 || status >= 500) return '';
  const at = launch.steps.indexOf(step);
  const before = launch.steps
    .slice(0, at)
    .reverse()
    .find((s) => s.exchange.tabId === step.exchange.tabId);
  if (!before) return '';
  const answered = before.exchange.completedAt ?? before.exchange.startedAt;
  const wait = step.exchange.startedAt - answered;
  if (wait < LONG_PAUSE_MS) return '';
  return ` It was sent ${minutesText(wait)} after the step before it (${before.label}) was answered: a sign-in left open that long has most likely timed out on the server. Launch again and finish signing in without a long pause.`;
}

/** Chromium follows at most this many redirects of one request. */
const REDIRECT_LIMIT = 20;

/**
 * A request the browser aborted because the tab went elsewhere first (a second click, a reload, Back):
 * not the last hop Chromium aborts at its redirect limit.
 */
export function abortedByTab(step: Step): boolean {
  return isAborted(step) && step.exchange.hop < REDIRECT_LIMIT - 1;
}

/** The browser's abort of a request and the tab-closed event that caused it come this close together. */
const CLOSE_SLACK_MS = 2000;

/**
 * When the tab of a request the browser aborted was closed while the request waited for its answer
 * (recorded live: the reducer marks the tab's latest exchange with tabClosedAt): closing a tab aborts
 * what its page still had in flight. Undefined for any other abort.
 */
export function closedWhileWaiting(step: Step, steps: readonly Step[]): number | undefined {
  if (!abortedByTab(step)) return undefined;
  const { tabId, startedAt } = step.exchange;
  const ended = step.exchange.completedAt ?? startedAt;
  for (const s of steps) {
    const at = s.exchange.tabClosedAt;
    if (at !== undefined && s.exchange.tabId === tabId && at >= startedAt && at <= ended + CLOSE_SLACK_MS)
      return at;
  }
  return undefined;
}

/** The hop of a redirect chain Chromium aborted at its redirect limit (its page: ERR_TOO_MANY_REDIRECTS). */
export function abortedAtRedirectLimit(step: Step): boolean {
  return isAborted(step) && step.exchange.hop >= REDIRECT_LIMIT - 1;
}

function isAborted(step: Step): boolean {
  return /ERR_ABORTED|NS_BINDING_ABORTED/.test(step.exchange.error ?? '');
}

/** What an OAuth error a server answered the authorize request with means (RFC 6749 §4.1.2.1). */
const OAUTH_REFUSALS: Record<string, string> = {
  unauthorized_client:
    'the client is not allowed to make this request (a scope, response type or grant its registration does not allow)',
  invalid_scope: 'a requested scope is unknown, malformed or not allowed for this client',
  access_denied: 'the server (or the user) denied the request',
  unsupported_response_type: 'the server does not issue codes by this response_type for this client',
  server_error: 'the server failed on the request',
  temporarily_unavailable: 'the server is overloaded or down for maintenance',
};
