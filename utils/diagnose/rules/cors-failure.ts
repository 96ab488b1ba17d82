import { isOracleUrl } from '../../capture/relevance';
import { isOidcConfig } from '../../launch/classify';
import { isOk } from '../../launch/correlate';
import type { Exchange, Finding, Fix, Step } from '../../model';
import { originOf } from '../../url/split';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/**
 * A fetch that fails with no HTTP status (net::ERR_FAILED) from a page is the browser's CORS refusal.
 * Firefox's HAR files give such a request status 0 and no error text (utils/har/import.ts: "no response
 * (status 0)"), Playwright's status -1; Safari's name the header ("Origin … is not allowed by
 * Access-Control-Allow-Origin", "… due to access control checks").
 */
const NO_STATUS = /ERR_FAILED|CORS|status -?[01]\)|Access-Control-Allow-|access control checks/i;

/** A request of these kinds that failed with no status, the browser's CORS refusal. */
function blocked(s: Step): boolean {
  return (
    (s.kind === 'token' || s.kind === 'fhir' || s.kind === 'discovery' || s.kind === 'refresh') &&
    s.exchange.status === undefined &&
    NO_STATUS.test(s.exchange.error ?? '')
  );
}

export const corsFailure: Rule = {
  id: 'cors-failure',
  severity: 'error',
  title: 'Blocked by CORS',
  detect(launch, ctx) {
    // The first blocked OpenID configuration read and the first other blocked request, each with its
    // own finding, in the order they happened: a blocked OIDC read the launch went on past (a warning)
    // must not hide a blocked FHIR call after it.
    const steps = launch.steps;
    let oidc = -1;
    let other = -1;
    for (let i = 0; i < steps.length && (oidc < 0 || other < 0); i++) {
      const s = steps[i]!;
      if (!blocked(s)) continue;
      if (isOidcConfig(s)) {
        if (oidc < 0) oidc = i;
      } else if (other < 0) other = i;
    }
    return [oidc, other]
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)
      .map((i) => (i === oidc ? oidcBlocked(steps, i) : requestBlocked(steps, i, ctx)));
  },
};

/**
 * The OpenID Connect issuer's document (id_token validation), not SMART discovery: its own advice. The
 * app's launch does not need it: when a token was obtained and a FHIR request after the read succeeded,
 * it is a warning and the launch's status follows its token and FHIR steps (utils/launch/status.ts).
 */
function oidcBlocked(steps: Step[], i: number): Finding {
  const step = steps[i]!;
  const origin = step.exchange.initiator ?? '(unknown)';
  const wentOn = wentOnPast(steps);
  return finding(
    corsFailure,
    `The OpenID configuration read (${step.exchange.url}) from ${origin} failed without any HTTP status, which is how browsers report a CORS refusal. It is the OpenID Connect issuer's document, which the app reads to validate its id_token; the SMART endpoints come from .well-known/smart-configuration, not from it.${wentOn ? " The launch went on without it (its token request succeeded, and so did its FHIR requests), but the page cannot verify the id_token's signature: it could not read the issuer's jwks_uri from this document." : ''}`,
    [
      ev('request', step.label, step),
      ev('network error', step.exchange.error, step),
      ev('page origin', origin, step),
    ],
    [
      advice(
        "Validate the id_token without reading the issuer's configuration from the page: give the OIDC library the issuer's metadata (jwks_uri) directly, or read the configuration on the app's server.",
      ),
    ],
    wentOn
      ? { title: 'OpenID configuration blocked by CORS', severity: 'warning' }
      : { title: 'OpenID configuration blocked by CORS' },
  );
}

/**
 * The launch has a token request that did not fail (its answer may be unrecorded, as status.ts allows)
 * and a FHIR request after it succeeded: the app went on without the read. The read itself may come
 * before or after those FHIR requests: an app validates its id_token beside its first reads, not before
 * them, so which ends first is a matter of milliseconds.
 */
function wentOnPast(steps: Step[]): boolean {
  const token = steps.findIndex((s) => s.kind === 'token' && !s.failed);
  if (token < 0) return false;
  for (let j = token + 1; j < steps.length; j++) {
    const s = steps[j]!;
    if (s.kind === 'fhir' && isOk(s.exchange.status)) return true;
  }
  return false;
}

/**
 * A blocked token, FHIR or discovery request. What the finding says rests on what the capture shows:
 * the browser's preflight for it when one was recorded, else Oracle's documented token endpoint answer
 * (Access-Control-Allow-Origin: *) on Oracle's hosts, else only that the server's CORS answer did not
 * allow the request: a generic server's configuration is unknown.
 */
function requestBlocked(steps: Step[], i: number, ctx: RuleContext): Finding {
  const step = steps[i]!;
  const ex = step.exchange;
  const origin = ex.initiator ?? '(unknown)';
  const isToken = step.kind === 'token' || step.kind === 'refresh';
  const oracle = isOracleUrl(ex.url);
  const cookies = ex.requestCookies?.count ?? 0;
  const preflight = preflightOf(steps, i);
  const acao = ctx.discovery?.exchange.responseHeaders['access-control-allow-origin'];
  const what = isToken ? `The token request from ${origin}` : `${step.label} from ${origin}`;
  const refusal = `${what} failed without any HTTP status, which is how browsers report a CORS refusal`;
  const faults = preflight ? preflightFaults(preflight.exchange, ex, origin, cookies) : [];
  const serverOrigin = originOf(ex.url);
  // Requests (not preflights) from the same page to the same server that were answered and allowed.
  const passed = isToken
    ? []
    : steps.filter(
        (s, j) =>
          j !== i &&
          // Of the same kind: a discovery read sends no Authorization header, so passes checks a FHIR read does not.
          s.kind === step.kind &&
          s.exchange.method !== 'OPTIONS' &&
          s.exchange.initiator === ex.initiator &&
          originOf(s.exchange.url) === serverOrigin &&
          isOk(s.exchange.status),
      );

  let summary: string;
  if (preflight) {
    const pf = preflight.exchange;
    const answered = pf.status !== undefined ? `was answered ${pf.status}` : 'got no answer';
    summary = faults.length
      ? `${refusal}. Its preflight (OPTIONS to the same URL) ${answered}: ${faults.join('; ')}.`
      : `${refusal}. Its preflight (OPTIONS to the same URL) ${answered} and allowed ${pf.responseHeaders['access-control-allow-origin']}; ${allowedHeaders(pf)}`;
    if (!faults.length && oracle && isToken) summary += ` ${oracleCredentials(cookies)}`;
  } else if (oracle && isToken) {
    summary = `${refusal}. ${oracleCredentials(cookies)}`;
  } else if (oracle) {
    summary = `${refusal}; the server does not allow this origin.`;
  } else if (passed.length) {
    // The same page's other requests to this server passed its CORS check: what failed here is likely
    // an answer without CORS headers, such as a gateway's error page.
    summary = `${what} failed without any HTTP status the browser let the page (or the extension) see. ${passed.length} other request${passed.length === 1 ? '' : 's'} from ${origin} to ${serverOrigin} passed its CORS check in this launch, so its CORS configuration allows this origin: most likely the server, or a gateway or proxy in front of it, answered this one with an error (a 502 or 503 page, a timeout) without CORS headers, which the browser reports as a network error.`;
  } else {
    summary = `${refusal}: the server's CORS headers did not allow this request from ${origin}.${cookies ? ` It carried ${cookies} cookie(s): a request with credentials needs Access-Control-Allow-Origin naming the origin (not *) and Access-Control-Allow-Credentials: true.` : ''}`;
  }

  // A form POST is a "simple" request: no preflight, the browser sent it and kept only the answer from
  // the page, so a token request's code may be spent.
  if (step.kind === 'token' && !preflight && ex.form && ex.formFormat !== 'json') summary += SENT_ANYWAY;

  const evidence = [
    ev('request', step.label, step),
    ev('network error', ex.error, step),
    ev('page origin', origin, step),
  ];
  if (ex.requestCookies) evidence.push(ev('cookies sent', ex.requestCookies.count, step));
  if (preflight) {
    const pf = preflight.exchange;
    evidence.push(
      ev('preflight', `OPTIONS → ${pf.status ?? pf.error ?? 'no answer'}`, preflight),
      ev(
        'Access-Control-Allow-Origin (preflight)',
        pf.responseHeaders['access-control-allow-origin'] ?? '(none)',
        preflight,
      ),
    );
  } else {
    evidence.push(ev('preflight (OPTIONS)', "none among this launch's steps"));
  }
  if (acao) evidence.push(ev('Access-Control-Allow-Origin (discovery)', acao, ctx.discovery));

  const fixes: Fix[] = [];
  if (oracle && isToken && !faults.length) {
    fixes.push(
      advice(
        "Send the token request without credentials (fetch credentials: 'omit' or 'same-origin'); register the app's origin.",
      ),
    );
  } else if (oracle && !(preflight && !faults.length)) {
    // A preflight that allowed the origin says the registration is not what is missing.
    fixes.push(
      advice(
        "Register the app's origin with the server (v2: token and FHIR are open to registered origins only).",
      ),
    );
  } else if (passed.length && !preflight) {
    fixes.push(
      advice(
        'Look at what the server (or its gateway) answered this request: open DevTools on the app’s tab (Network) and launch again. An error answer needs CORS headers too, or the page sees only a network error.',
      ),
    );
  } else {
    const who = origin === '(unknown)' ? "the app's origin" : origin;
    fixes.push(
      advice(
        `Check the server's CORS configuration for ${who}: the origin among its allowed origins, the preflight (OPTIONS) answered with a 2xx, ${ex.method} in Access-Control-Allow-Methods, and every header the request sends in Access-Control-Allow-Headers (Authorization by name: * does not cover it).`,
      ),
    );
  }
  return finding(
    corsFailure,
    summary,
    evidence,
    fixes,
    passed.length && !preflight ? { title: 'Answer hidden by CORS (likely an error answer)' } : {},
  );
}

/**
 * The browser's preflight for step `i`: the last OPTIONS request to the same URL before it. An earlier
 * request to that URL in between had its own preflight; the browser may have cached the answer since.
 */
function preflightOf(steps: Step[], i: number): Step | undefined {
  const url = steps[i]!.exchange.url;
  for (let j = i - 1; j >= 0; j--) {
    const ex = steps[j]!.exchange;
    if (ex.url !== url) continue;
    if (ex.method === 'OPTIONS') return steps[j];
    return undefined;
  }
  return undefined;
}

/**
 * What in a recorded preflight answer the browser refuses for `origin` (Fetch standard, CORS check):
 * a status outside 2xx, no Access-Control-Allow-Origin, another origin than the page's, * for a
 * request with credentials, or the request's method missing from Access-Control-Allow-Methods. The
 * request's own headers are not recorded: allowedHeaders() says what the answer lists.
 */
function preflightFaults(pf: Exchange, request: Exchange, origin: string, cookies: number): string[] {
  const faults: string[] = [];
  if (pf.status === undefined)
    faults.push(pf.error ? `the browser reports ${pf.error}` : 'the preflight itself failed');
  else if (!isOk(pf.status)) faults.push(`a preflight must be answered with a 2xx status`);
  const allowed = pf.responseHeaders['access-control-allow-origin'];
  if (pf.status !== undefined && allowed === undefined)
    faults.push('its answer has no Access-Control-Allow-Origin');
  else if (allowed === '*' && cookies)
    faults.push(
      `it allows any origin (*), which browsers refuse for a request sent with credentials, and the request carried ${cookies} cookie(s)`,
    );
  else if (allowed !== undefined && allowed !== '*' && origin !== '(unknown)' && allowed !== origin)
    faults.push(`it allows ${allowed}, not ${origin}`);
  // GET, HEAD and POST need no listing (CORS-safelisted methods); any other must be listed by name.
  const methods = pf.responseHeaders['access-control-allow-methods'];
  const method = request.method.toUpperCase();
  if (methods !== undefined && !['GET', 'HEAD', 'POST'].includes(method)) {
    const listed = methods.split(',').map((m) => m.trim().toUpperCase());
    if (!listed.includes(method) && !(listed.includes('*') && !cookies))
      faults.push(`its Access-Control-Allow-Methods (${methods || 'empty'}) does not list ${method}`);
  }
  return faults;
}

/**
 * What a preflight that allowed the origin allowed of the request's headers: the request's own headers
 * are not recorded, so the finding says what the answer lists and which header usually is missing.
 */
function allowedHeaders(pf: Exchange): string {
  const headers = pf.responseHeaders['access-control-allow-headers'];
  // Recorded with it since the capture keeps them: an answer with one and not the other sent none.
  if (headers === undefined && pf.responseHeaders['access-control-allow-methods'] !== undefined)
    return "its answer has no Access-Control-Allow-Headers, so the browser refuses a request that sends any header beyond the CORS-safelisted ones: Authorization (a confidential client's HTTP Basic, a bearer token), or Content-Type other than a form's.";
  if (headers === undefined)
    return 'the methods and headers it allowed are not recorded, so the refusal lies there (a header the request sends, such as Authorization, not allowed) or in the CORS headers of the answer to the request itself.';
  const listed = headers
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (listed.includes('authorization'))
    return `its Access-Control-Allow-Headers (${headers}) lists Authorization, so the refusal lies in another header the request sends that is not listed, or in the CORS headers of the answer to the request itself.`;
  return `its Access-Control-Allow-Headers (${headers || 'empty'}) does not list Authorization (* does not cover it), which a request sends when it authenticates with it (a confidential client's HTTP Basic, a bearer token): the browser refuses such a request.`;
}

/** Oracle's token endpoint answers Access-Control-Allow-Origin: * (reference, section 4). */
function oracleCredentials(cookies: number): string {
  return cookies
    ? `Oracle's token endpoint answers Access-Control-Allow-Origin: *, which browsers refuse for requests sent with credentials, and this request carried ${cookies} cookie(s).`
    : "Oracle's token endpoint answers Access-Control-Allow-Origin: *, which browsers refuse for requests sent with credentials (fetch credentials: 'include', XMLHttpRequest withCredentials); the recording does not show whether this one was.";
}

const SENT_ANYWAY =
  ' A form POST needs no preflight: the browser sent it and kept only the answer from the page, so the server may have issued a token and used up the code; launch again rather than retrying with the same code.';
