import { isOracleUrl } from '../../../utils/capture/relevance';
import { redactText } from '../../../utils/redact/text';
import { explainError, findOracleUrn } from '../../../utils/smart/oracle-errors';
import { stateChanged, stateLost, stateMissing } from './explain-state';
import { parseHttpError, tokenProblem } from './explain-token';
import type { SeenTokenResponse } from './token-watch';

export { explainOAuthRedirect } from './explain-redirect';

/** A launch failure in plain language: what happened, likely causes, what to do, and the raw facts. */
export interface LaunchProblem {
  kind:
    | 'oauth'
    | 'state-missing'
    | 'state-lost'
    | 'state-changed'
    | 'discovery'
    | 'network'
    | 'token'
    | 'expired'
    | 'pkce'
    | 'no-token'
    | 'no-config'
    | 'unknown';
  title: string;
  summary: string;
  /** The server's own words (`error_description`), shown as they came, above our explanation. */
  serverMessage?: string;
  causes: string[];
  fixes: string[];
  details: Array<{ label: string; value: string }>;
}

export interface ErrorContext {
  /** authorize = before leaving the app; callback = ready() on the redirect page; refresh; request = FHIR call. */
  phase: 'authorize' | 'callback' | 'refresh' | 'request';
  /** The page's origin, to name origin-related causes precisely. */
  origin?: string;
  /** The token endpoint the launch used (fhirclient's state), to name it when it cannot be reached. */
  tokenUri?: string;
  /** What the token endpoint answered, as the page saw it (lib/token-watch.ts). */
  tokenResponse?: SeenTokenResponse;
  /** The callback's `state` parameter, to compare with the state of the launch this tab holds. */
  returnedState?: string;
  /** The state this tab's launch in progress was sent with (launchInProgressState()). */
  sentState?: string;
}

const NETWORK = /^(Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed)$/;

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
}

/**
 * A JSON.parse error quotes the text it failed on (`Unexpected token 'ë', "ëÇµ…" is not valid JSON`): when
 * fhirclient parses a token (an access token with dots read as a JWT) that text is part of the token.
 * The quoted text and the character go; what kind of error it was stays.
 */
export function withoutJsonSnippet(message: string): string {
  return message
    .replace(/Unexpected token '[^']*'/g, 'Unexpected token')
    .replace(/Unexpected token \S+ in JSON/g, 'Unexpected token in JSON')
    .replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?(?=\s+is not valid JSON)/g, '(text not shown)');
}

export function explainLaunchError(err: unknown, ctx: ErrorContext): LaunchProblem {
  const message = withoutJsonSnippet(redactText(messageOf(err)));
  const raw = [{ label: 'message', value: message }];
  if (/No 'state' parameter found/.test(message)) return stateMissing(raw, ctx.origin);
  if (/No state found/.test(message))
    // The tab still holds a launch under another state: the server changed it, the tab lost nothing.
    return ctx.sentState && ctx.returnedState && ctx.sentState !== ctx.returnedState
      ? stateChanged(ctx.sentState, ctx.returnedState, raw)
      : stateLost(raw, ctx.origin);
  if (/Failed to fetch the (well-known json|conformance statement)/.test(message))
    return {
      kind: 'discovery',
      title: 'SMART discovery failed',
      summary:
        "The app could not read the server's .well-known/smart-configuration (nor its CapabilityStatement).",
      causes: [
        "The iss is not a SMART-enabled FHIR base (e.g. Oracle's fhir-open host has no smart-configuration).",
        'The server is down, the URL has a typo, or the tenant id is wrong.',
        'The discovery response is blocked by CORS for this origin.',
      ],
      fixes: [
        'Open <iss>/.well-known/smart-configuration in a tab; launch with the secure (fhir-ehr-code / fhir-myrecord) base.',
      ],
      details: raw,
    };
  if (/PKCE code challenge method/.test(message))
    return {
      kind: 'pkce',
      title: 'PKCE required but not offered',
      summary:
        'pkceMode is "required" but the server does not list S256 in code_challenge_methods_supported.',
      causes: ["The server's discovery document lacks S256."],
      fixes: [
        'Server side: list "S256" in code_challenge_methods_supported.',
        'Until then, pkceMode "unsafeV1" sends an S256 challenge anyway (for a server that checks PKCE without advertising it); "ifSupported" goes without PKCE, which a server that requires it refuses.',
      ],
      details: raw,
    };
  if (/Session expired|invalid_token/.test(message))
    return {
      kind: 'expired',
      title: 'Session expired',
      summary: 'The access token has expired (or was revoked) and could not be refreshed.',
      causes: [
        // fhirclient's HttpError names the request's URL; an error without one is told by the token endpoint.
        isOracleUrl(parseHttpError(message)?.url ?? ctx.tokenUri ?? '')
          ? 'Oracle access tokens live about 10 minutes (expires_in 570).'
          : 'Access tokens last as long as the token response’s expires_in says (often minutes).',
        'No refresh token was issued, or it expired.',
      ],
      fixes: ['Relaunch the app; request online_access or offline_access to get a refresh token.'],
      details: raw,
    };
  if (err instanceof TypeError && NETWORK.test(message)) return networkProblem(ctx, raw);
  const seen = ctx.tokenResponse;
  if (seen && ctx.phase === 'callback' && unreadableLifetime(seen)) return lifetimeCrash(seen, raw);
  if (seen && /Failed to obtain access token/.test(message)) return unusableTokenResponse(seen, raw);
  const http = parseHttpError(message);
  if (http && (ctx.phase === 'callback' || ctx.phase === 'refresh'))
    return tokenProblem(http, message, ctx, raw);
  if (/Unable to refresh\./.test(message)) return cannotRefresh(message, raw);
  if (/Failed to obtain access token/.test(message))
    return {
      kind: 'no-token',
      title: 'No access token in the token response',
      summary: 'The token endpoint answered 200 but without access_token.',
      causes: ['A proxy or a misconfigured server returned something other than a token response.'],
      fixes: ["Inspect the token response in the extension's launch log."],
      details: raw,
    };
  const urn = findOracleUrn(message);
  const known = urn ? explainError(undefined, urn) : undefined;
  return {
    kind: 'unknown',
    title: known?.title ?? 'The launch failed',
    summary: known?.explanation ?? message.split('\n')[0] ?? 'Unknown error',
    causes: [],
    fixes: [
      known?.fix ?? 'Relaunch; if it fails again, record the launch with the extension to see each step.',
    ],
    details: raw,
  };
}

function networkProblem(ctx: ErrorContext, details: LaunchProblem['details']): LaunchProblem {
  const tokenCall = ctx.phase === 'callback' || ctx.phase === 'refresh';
  return {
    kind: 'network',
    title: tokenCall ? 'Token request blocked (CORS or network)' : 'Request blocked (CORS or network)',
    summary: tokenCall
      ? 'The browser refused to hand the token response to the app ("Failed to fetch"): the request got no usable answer.'
      : 'The browser refused the request ("Failed to fetch").',
    causes: tokenCall
      ? [
          `The token endpoint${ctx.tokenUri ? ` (${ctx.tokenUri})` : ''} does not answer this origin${ctx.origin ? ` (${ctx.origin})` : ''} with CORS (Access-Control-Allow-Origin), so the browser hid its answer. A token request of form fields alone needs no preflight: the server most likely received it, and the code is spent.`,
          'The host is unreachable, the certificate is not trusted, or an extension/proxy blocked the request.',
        ]
      : [
          `The server does not allow this origin${ctx.origin ? ` (${ctx.origin})` : ''} with CORS, or rejected the preflight.`,
          'The host is unreachable, the certificate is not trusted, or an extension/proxy blocked the request.',
        ],
    fixes: tokenCall
      ? [
          "Look at the request in DevTools → Network (or the extension's launch log): a status of 0/(failed) with a CORS message confirms it.",
          'Server side: answer the token endpoint with Access-Control-Allow-Origin for this origin (or *; an app that sends cookies with it needs its exact origin). Then relaunch for a new code.',
        ]
      : [
          "Look at the request in DevTools → Network (or the extension's launch log): a status of 0/(failed) with a CORS message confirms it.",
          'Serve the app from an origin the server allows.',
        ],
    details:
      tokenCall && ctx.tokenUri ? [{ label: 'token endpoint', value: ctx.tokenUri }, ...details] : details,
  };
}

/** fhirclient refuses to refresh before asking the server: no refresh token, token URL or access scope. */
function cannotRefresh(message: string, details: LaunchProblem['details']): LaunchProblem {
  return {
    kind: 'token',
    title: 'Cannot refresh',
    summary: message.split('\n')[0] ?? message,
    causes: [
      'The token response had no refresh_token: the server only issues one for online_access or offline_access, and may drop those scopes.',
      'The session was cleared after an earlier failure (fhirclient forgets the tokens).',
    ],
    fixes: [
      'Relaunch with online_access or offline_access in the scope, and check that the server granted it.',
    ],
    details,
  };
}

/** The Content-Type in words, for the explanations below. */
function typeOf(seen: SeenTokenResponse): string {
  return seen.contentType ? `Content-Type ${seen.contentType}` : 'no Content-Type';
}

/**
 * fhirclient reads the access token as a JWT when expires_in is missing (or 0), to take its exp: a
 * token with dots that is no JWT makes it throw after the token was issued.
 */
function unreadableLifetime(seen: SeenTokenResponse): boolean {
  return seen.accessToken === 'dotted' && seen.fields.expires_in !== 'number';
}

function lifetimeCrash(seen: SeenTokenResponse, details: LaunchProblem['details']): LaunchProblem {
  const expires = seen.fields.expires_in;
  return {
    kind: 'token',
    title: 'Token issued, but its lifetime could not be read',
    summary: `The token endpoint answered ${seen.status} with an access token, ${expires ? `but its expires_in is a ${expires}, not a number` : 'but without expires_in'}. fhirclient then reads the expiry from the access token as if it were a JWT; this token has dots but is no JWT, so reading it failed and the launch stopped after the token was issued.`,
    causes: [
      'The server leaves expires_in out (OAuth recommends it, RFC 6749 §5.1) and issues tokens with dots that are not JWTs.',
    ],
    fixes: [
      'Server side: send expires_in as a number of seconds in the token response.',
      "Relaunch to try again: this launch's code is spent.",
    ],
    details: [...details, { label: 'token response fields', value: Object.keys(seen.fields).join(', ') }],
  };
}

/** fhirclient found no access_token: say what the response was instead. */
function unusableTokenResponse(seen: SeenTokenResponse, details: LaunchProblem['details']): LaunchProblem {
  const fields = Object.keys(seen.fields);
  const more = [
    ...details,
    { label: 'token response', value: `${seen.status}, ${typeOf(seen)}, ${seen.format}` },
    ...(fields.length ? [{ label: 'fields', value: fields.join(', ') }] : []),
  ];
  // fhirclient parses a body as JSON only when its Content-Type names JSON (else it keeps the text).
  if (!/\bjson\b/i.test(seen.contentType) && seen.fields.access_token)
    return {
      kind: 'no-token',
      title: 'Token response is not sent as JSON',
      summary: `The token endpoint answered ${seen.status} with an access token, ${seen.format === 'form' ? 'as form-encoded fields' : 'as JSON'} with ${typeOf(seen)}. fhirclient reads a token response only when its Content-Type names JSON, so it found no access_token.`,
      causes: [
        'OAuth requires the token response as JSON with Content-Type application/json (RFC 6749 §5.1); this server sends something else.',
      ],
      fixes: ['Server side: answer the token request with Content-Type: application/json and a JSON body.'],
      details: more,
    };
  if (seen.format === 'json')
    return {
      kind: 'no-token',
      title: 'No access token in the token response',
      summary: `The token endpoint answered ${seen.status} with JSON that has no access_token${fields.length ? ` (its fields: ${fields.join(', ')})` : ''}.`,
      causes: ['A proxy or a misconfigured server returned something other than a token response.'],
      fixes: ["Inspect the token response in the extension's launch log."],
      details: more,
    };
  return {
    kind: 'no-token',
    title: 'The token response is no token response',
    summary: `The token endpoint answered ${seen.status} with ${seen.format === 'empty' ? 'an empty body' : 'a body that is neither JSON nor form fields'} (${typeOf(seen)}).`,
    causes: [
      'A proxy, a sign-in page or an error page answered instead of the token endpoint, or the token endpoint in discovery is wrong.',
    ],
    fixes: ["Inspect the token response in the extension's launch log, or in DevTools → Network."],
    details: more,
  };
}
