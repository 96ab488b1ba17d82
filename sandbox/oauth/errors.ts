/**
 * Errors answered the Oracle way: authorize problems that make the redirect untrustworthy go to an error
 * page on authorization.cerner.com; others return to the app with `error` + `error_uri` (no description);
 * the token endpoint answers JSON `{error, error_uri}`.
 */
import { randomUUID } from 'node:crypto';
import { AUTH_ORIGIN } from '../config';

export const URN_PREFIX = 'urn:cerner:error:authorization-server:';

export const URN = {
  invalidRequest: 'oauth2:grant:invalid-request',
  unknownClient: 'oauth2:grant:unknown-client',
  invalidRedirectUri: 'oauth2:grant:invalid-redirect-uri',
  redirectTrailingSlash: 'oauth2:grant:invalid-redirect-uri-trailing-slash',
  redirectNotAbsolute: 'oauth2:grant:redirect-uri-not-absolute',
  redirectNotRegistered: 'oauth2:grant:redirect-uri-not-registered',
  unknownTenant: 'oauth2:grant:unknown-tenant',
  grantServerError: 'oauth2:grant:server-error',
  unsupportedResponseType: 'oauth2:grant:unsupported-response-type',
  deniedByServer: 'oauth2:grant:denied-by-server',
  // Seen in reports, not in the published list (doc §4 "unconfirmed spellings"); kept as reported.
  missingPatient: 'oauth2:grant:missing-patient',
  personaMismatch: 'oauth2:grant:client-persona-mismatch',
  audienceRequired: 'smart-v1:grant:launch:audience-required',
  launchCodeRequired: 'smart-v1:grant:launch:launch-code-required',
  invalidLaunchCode: 'smart-v1:grant:launch:invalid-code',
  unknownResourceServer: 'smart-v1:grant:launch:unknown-resource-server',
  // Oracle's own typo, kept: tools must match it as published.
  mismatchedIdentity: 'smart-v1:grant:launch:mismatchted-identity',
  audienceNotWhitelisted: 'smart-v1:grant:launch:audience-not-white-listed',
  authenticationCancelled: 'grant:session-service:authentication:cancelled',
  unsupportedGrantType: 'oauth2:token:unsupported-grant-type',
  tokenInvalidRedirectUri: 'oauth2:token:invalid-redirect-uri',
  emptyScopes: 'oauth2:token:empty-scopes',
  /**
   * The published "invalid or expired code". Oracle publishes no URN for a failed PKCE check, so the
   * sandbox answers a wrong or missing code_verifier with this one (invalid_grant), never with a name of
   * its own: a tool has to tell a PKCE failure from a reused code by the verifier, as it must with Oracle.
   */
  codeInvalid: 'oauth2:token:code:invalid',
  /** The newer form current docs and live servers use for a reused or expired code. */
  codeInvalidOrExpired: 'oauth2:token:code-invalid-or-expired',
  codeClientMismatch: 'oauth2:token:code:client:mismatch',
  // Underscores as published (the only two token URNs spelled that way).
  invalidClientCredentials: 'oauth2:token:invalid_client_credentials',
  invalidAuthorizationHeader: 'oauth2:token:invalid_authorization_header',
  /** The family-less `server-error` of the published list (there is no `oauth2:token:server-error`). */
  serverError: 'server-error',
} as const;

export type UrnKey = keyof typeof URN;

export function fullUrn(key: UrnKey): string {
  return URN_PREFIX + URN[key];
}

/** `https://authorization.cerner.com/errors/<URL-encoded URN>/instances/<uuid>?persona=&client=&tenant=` */
export function errorPageUrl(key: UrnKey, q: { persona?: string; client?: string; tenant?: string }): string {
  const params = new URLSearchParams();
  for (const k of ['persona', 'client', 'tenant'] as const) params.set(k, q[k] ?? '');
  return `${AUTH_ORIGIN}/errors/${encodeURIComponent(fullUrn(key))}/instances/${randomUUID()}?${params}`;
}

/** Oracle's error_uri points at the same error page (the URN inside is what explains the failure). */
export function errorUri(key: UrnKey): string {
  return `${AUTH_ORIGIN}/errors/${encodeURIComponent(fullUrn(key))}/instances/${randomUUID()}`;
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type';

/** redirect_uri?error=..&error_uri=..&state=.. (keeps any query the registered redirect_uri carries). */
export function errorRedirect(
  redirectUri: string,
  error: OAuthErrorCode,
  key: UrnKey,
  state?: string,
): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_uri', errorUri(key));
  if (state !== undefined) url.searchParams.set('state', state);
  return url.toString();
}

export interface TokenErrorBody {
  error: OAuthErrorCode;
  error_uri: string;
}

export function tokenError(error: OAuthErrorCode, key: UrnKey): TokenErrorBody {
  return { error, error_uri: errorUri(key) };
}
