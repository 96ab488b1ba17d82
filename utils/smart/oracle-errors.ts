import { decodeComponent, looksEncoded } from '../url/percent';

/**
 * Oracle Health (Cerner) error URNs and OAuth error codes in plain language. Oracle's redirects carry
 * only `error` + `error_uri` (no description), so the URN inside `error_uri` is what explains a failure.
 * Two URN families are known: the authorization server's (authorize, token, launch and session errors)
 * and the FHIR servers' resource-access one (403 bodies and WWW-Authenticate).
 */

/** Authorization-server URNs: `urn:cerner:error:authorization-server:oauth2:grant:unknown-client`… */
export const ORACLE_URN_PREFIX = 'urn:cerner:error:authorization-server:';
/** FHIR-server URNs: `urn:cerner:error:oauth2:resource-access:insufficient-scopes`. */
export const RESOURCE_ACCESS_URN_PREFIX = 'urn:cerner:error:oauth2:resource-access:';
const ANY_URN_PREFIX = 'urn:cerner:error:';

export interface ErrorExplanation {
  /** The URN or OAuth code that was explained. */
  code: string;
  title: string;
  explanation: string;
  fix: string;
}

type Entry = [title: string, explanation: string, fix: string];

/** Keys are the URN without ORACLE_URN_PREFIX. */
const AUTHORIZATION_SERVER_URNS: Record<string, Entry> = {
  'oauth2:grant:invalid-request': [
    'Invalid authorize request',
    'The authorize request is missing a required parameter or has a malformed one.',
    'Compare the authorize parameters with the SMART spec: response_type, client_id, redirect_uri, scope, state, aud.',
  ],
  'oauth2:grant:unknown-client': [
    'Unknown client',
    'The authorization server does not know this client_id (for this tenant).',
    'Check the client_id in the app configuration against the app registered in Code Console.',
  ],
  'oauth2:grant:invalid-redirect-uri': [
    'Invalid redirect_uri',
    'The redirect_uri is not one the app registered.',
    'Register the exact redirect_uri in Code Console, or send the registered one.',
  ],
  'oauth2:grant:invalid-redirect-uri-trailing-slash': [
    'redirect_uri differs by a trailing slash',
    'Oracle matches redirect_uri strictly; a trailing slash makes it a different URI.',
    'Send the redirect_uri exactly as registered, including or omitting the trailing slash.',
  ],
  'oauth2:grant:redirect-uri-not-absolute': [
    'redirect_uri is not absolute',
    'The redirect_uri must be an absolute URL.',
    'Use a full https:// (or http://localhost) URL as redirect_uri.',
  ],
  'oauth2:grant:redirect-uri-not-registered': [
    'redirect_uri not registered',
    'The app has no redirect_uri registered that matches this one.',
    'Add this redirect_uri to the app in Code Console.',
  ],
  'oauth2:grant:unknown-tenant': [
    'Unknown tenant',
    'The tenant id in the authorize URL does not exist.',
    'Launch with the iss of an existing tenant and use its discovery document.',
  ],
  'oauth2:grant:tenant-not-configured': [
    'Tenant not configured',
    'The tenant exists but is not set up for this kind of authorization.',
    'Ask the tenant administrator (or Oracle support) to enable the app for the tenant.',
  ],
  'oauth2:grant:unauthorized-client-for-tenant': [
    'App not enabled for the tenant',
    'The client is registered but not authorized for this tenant.',
    'Enable the app for the tenant (Code Console / tenant administrator).',
  ],
  'oauth2:grant:server-error': [
    'Authorization server error',
    'The authorization server failed while handling the request.',
    'Retry; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'oauth2:grant:unsupported-response-type': [
    'Unsupported response_type',
    'Only response_type=code is supported.',
    'Send response_type=code.',
  ],
  'oauth2:grant:csrf-security-failure': [
    'CSRF check failed',
    'The authorization server rejected the request as a possible cross-site request forgery (often a stale or conflicting session).',
    'Clear the authorization.cerner.com session and relaunch.',
  ],
  'oauth2:grant:denied-by-server': [
    'Denied by the server',
    'The authorization server refused to grant the requested access (often scopes the app is not registered for).',
    'Request only scopes the app is registered for.',
  ],
  'oauth2:grant:denied-by-user': [
    'Denied by the user',
    'The user declined the authorization request.',
    'Relaunch and approve the requested access.',
  ],
  'oauth2:grant:invalid-patient-id': [
    'Invalid patient',
    'The patient in the launch context is not valid.',
    'Launch with a valid patient in context.',
  ],
  'oauth2:grant:missing-patient': [
    'No patient in context',
    'Patient scopes were requested but the launch has no patient context.',
    'Launch from a patient chart, request launch/patient, or use user/ scopes.',
  ],
  'oauth2:grant:client-persona-mismatch': [
    'Persona mismatch',
    'The app was launched with a persona (provider/patient) it is not registered for.',
    'Use the authorize endpoint of the persona the app is registered for (provider vs patient).',
  ],
  'oauth2:token:unsupported-grant-type': [
    'Unsupported grant type',
    'The token endpoint does not accept this grant_type.',
    'Use grant_type=authorization_code (or refresh_token).',
  ],
  'oauth2:token:invalid-redirect-uri': [
    'Token redirect_uri mismatch',
    'The redirect_uri sent to the token endpoint differs from the one used at authorize.',
    'Send the same redirect_uri in the token request as in the authorize request.',
  ],
  'oauth2:token:empty-scopes': [
    'No scopes granted',
    'None of the requested scopes could be granted.',
    'Request scopes the app is registered for, in the version (v1/v2) it is registered with.',
  ],
  'oauth2:token:terminated-client': [
    'Client terminated',
    'The client registration has been terminated.',
    'Register the app again or contact Oracle.',
  ],
  'oauth2:token:code:invalid': [
    'Invalid authorization code',
    'The authorization code is not valid.',
    'Exchange the code from the latest callback, once.',
  ],
  'oauth2:token:code-invalid-or-expired': [
    'Code invalid or expired',
    'The authorization code was already used or has expired.',
    'Exchange each code once, promptly; relaunch to get a new code.',
  ],
  'oauth2:token:code:client:mismatch': [
    'Code issued to another client',
    'The code was issued to a different client_id.',
    'Use the same client_id for authorize and token.',
  ],
  'oauth2:token:invalid-client-credentials': [
    'Invalid client credentials',
    'The client secret or client assertion was rejected.',
    'Check the client secret / signing key registered for the app.',
  ],
  'oauth2:token:invalid-authorization-header': [
    'Invalid Authorization header',
    'The Basic Authorization header of the token request is malformed.',
    'Send base64(client_id:client_secret) with both parts form-encoded.',
  ],
  'smart-v1:grant:launch:audience-required': [
    'aud missing',
    'Oracle requires the aud parameter on authorize.',
    'Send aud equal to the iss the app was launched with.',
  ],
  'smart-v1:grant:launch:code-required': [
    'launch missing',
    'An EHR launch requires the launch parameter received on the launch URL.',
    'Pass the launch value from the launch URL to authorize unchanged.',
  ],
  'smart-v1:grant:launch:invalid-launch-code': [
    'Invalid launch',
    'The launch value is unknown or expired (e.g. reused or invented).',
    'Relaunch from the EHR and pass the fresh launch value unchanged.',
  ],
  'smart-v1:grant:launch:unknown-resource-server': [
    'Unknown FHIR server',
    'The aud does not name a FHIR server known to this authorization server.',
    'Send aud equal to the iss of the launch.',
  ],
  'smart-v1:grant:launch:mismatchted-identity': [
    'Different user already signed in',
    'A different user is already authenticated in this browser session.',
    'Clear the authorization.cerner.com session and relaunch.',
  ],
  'smart-v1:grant:launch:audience-not-white-listed': [
    'aud not allowed',
    'The aud is not a FHIR server this app or tenant may use.',
    'Send aud equal to the iss of the launch.',
  ],
  'grant:session-service:authentication:error': [
    'Sign-in failed',
    'The session service could not authenticate the user.',
    'Sign in again; clear the authorization.cerner.com session if it keeps failing.',
  ],
  'grant:session-service:authentication:cancelled': [
    'Sign-in cancelled',
    'The user cancelled sign-in.',
    'Relaunch and complete sign-in.',
  ],
  'grant:session-service:authentication:preauthentication': [
    'Pre-authentication failed',
    'The pre-authentication step of the launch failed.',
    'Relaunch from the EHR.',
  ],
};

/** Keys are the URN without RESOURCE_ACCESS_URN_PREFIX. */
const RESOURCE_ACCESS_URNS: Record<string, Entry> = {
  'insufficient-scopes': [
    'Insufficient scopes',
    'The access token does not carry a scope that allows this FHIR request.',
    'Request (and get granted) a scope for this resource.',
  ],
};

/** Each family's table, keyed by the URN without the family prefix. */
const URN_FAMILIES: ReadonlyArray<readonly [prefix: string, table: Record<string, Entry>]> = [
  [ORACLE_URN_PREFIX, AUTHORIZATION_SERVER_URNS],
  [RESOURCE_ACCESS_URN_PREFIX, RESOURCE_ACCESS_URNS],
];

/** Own entries only, so names such as `constructor` are not mistaken for catalogue entries. */
function entry(table: Record<string, Entry>, key: string): Entry | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const OAUTH: Record<string, Entry> = {
  invalid_request: [
    'Invalid request',
    'A required parameter is missing or malformed.',
    'Check the request parameters.',
  ],
  unauthorized_client: [
    'Unauthorized client',
    'The client may not use this flow or persona.',
    'Check the app registration (persona, grant types).',
  ],
  access_denied: [
    'Access denied',
    'The user or server denied the request.',
    'Check the scopes and the launch context; relaunch.',
  ],
  unsupported_response_type: [
    'Unsupported response_type',
    'The server does not support this response_type.',
    'Use response_type=code.',
  ],
  invalid_scope: [
    'Invalid scope',
    'A requested scope is unknown, malformed or not allowed.',
    'Request only scopes listed in scopes_supported that the app is registered for.',
  ],
  server_error: [
    'Server error',
    'The authorization server hit an error.',
    'Retry; report the correlation id if it persists.',
  ],
  temporarily_unavailable: [
    'Temporarily unavailable',
    'The authorization server is overloaded or under maintenance.',
    'Retry later.',
  ],
  invalid_grant: [
    'Invalid grant',
    'The code (or refresh token) is invalid, expired, already used, or PKCE did not match.',
    'Exchange each fresh code once with the matching code_verifier and redirect_uri.',
  ],
  invalid_client: ['Invalid client', 'Client authentication failed.', 'Check client_id and credentials.'],
  unsupported_grant_type: [
    'Unsupported grant type',
    'The token endpoint does not support this grant_type.',
    'Use authorization_code or refresh_token.',
  ],
  invalid_token: [
    'Invalid token',
    'The access token is expired, revoked or malformed.',
    'Refresh the token or relaunch.',
  ],
  insufficient_scope: [
    'Insufficient scope',
    'The token lacks the scope needed for this request.',
    'Request the needed scope.',
  ],
};

/** A URN never ends with `.` or `:`, so a sentence's full stop after it is not taken in. */
const URN_IN_TEXT = /urn:cerner:error:[A-Za-z0-9:._-]*[A-Za-z0-9_-]/;

/** Find an Oracle error URN (any family) in a URL (percent-encoded or not) or a body. */
export function findOracleUrn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let t = text;
  for (let i = 0; i < 3 && looksEncoded(t); i++) t = decodeComponent(t, false).value;
  return URN_IN_TEXT.exec(t)?.[0];
}

/**
 * Short form of a URN: `oauth2:grant:unknown-client` for the authorization server's,
 * `oauth2:resource-access:insufficient-scopes` for others (only `urn:cerner:error:` removed).
 */
export function urnTail(urn: string): string {
  if (urn.startsWith(ORACLE_URN_PREFIX)) return urn.slice(ORACLE_URN_PREFIX.length);
  return urn.startsWith(ANY_URN_PREFIX) ? urn.slice(ANY_URN_PREFIX.length) : urn;
}

function catalogueEntry(urn: string): Entry | undefined {
  for (const [prefix, table] of URN_FAMILIES)
    if (urn.startsWith(prefix)) return entry(table, urn.slice(prefix.length));
  return undefined;
}

export function explainOracleUrn(urn: string): ErrorExplanation | undefined {
  const e = catalogueEntry(urn);
  if (e) return { code: urn, title: e[0], explanation: e[1], fix: e[2] };
  const tail = urnTail(urn);
  // Unknown URN: still name its last segment in words.
  const last = tail.split(':').pop() ?? tail;
  return {
    code: urn,
    title: last.replace(/-/g, ' '),
    explanation: `Oracle reported ${urn}.`,
    fix: "Look the URN up in Oracle's error catalogue; give support the Cerner-Correlation-Id.",
  };
}

export function explainOAuthError(code: string): ErrorExplanation | undefined {
  const e = entry(OAUTH, code);
  return e ? { code, title: e[0], explanation: e[1], fix: e[2] } : undefined;
}

/** The best explanation for an error: the URN when present (more specific), else the OAuth code. */
export function explainError(
  error: string | undefined,
  errorUriOrBody?: string,
): ErrorExplanation | undefined {
  const urn = findOracleUrn(errorUriOrBody) ?? findOracleUrn(error);
  if (urn) return explainOracleUrn(urn);
  return error ? explainOAuthError(error) : undefined;
}

/** True when the URN ends with one of the given tails (`unknown-client`, `launch:code-required`…). */
export function urnIs(urn: string | undefined, ...tails: string[]): boolean {
  return !!urn && tails.some((t) => urn.endsWith(t));
}
