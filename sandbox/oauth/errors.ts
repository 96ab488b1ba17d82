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
  missingPatient: 'oauth2:grant:missing-patient',
  personaMismatch: 'oauth2:grant:client-persona-mismatch',
  audienceRequired: 'smart-v1:grant:launch:audience-required',
  launchCodeRequired: 'smart-v1:grant:launch:code-required',
  invalidLaunchCode: 'smart-v1:grant:launch:invalid-launch-code',
  unknownResourceServer: 'smart-v1:grant:launch:unknown-resource-server',
  mismatchedIdentity: 'smart-v1:grant:launch:mismatchted-identity',
  audienceNotWhitelisted: 'smart-v1:grant:launch:audience-not-white-listed',
  authenticationCancelled: 'grant:session-service:authentication:cancelled',
  unsupportedGrantType: 'oauth2:token:unsupported-grant-type',
  tokenInvalidRedirectUri: 'oauth2:token:invalid-redirect-uri',
  emptyScopes: 'oauth2:token:empty-scopes',
  codeInvalid: 'oauth2:token:code:invalid',
  codeInvalidOrExpired: 'oauth2:token:code-invalid-or-expired',
  codeClientMismatch: 'oauth2:token:code:client:mismatch',
  invalidClientCredentials: 'oauth2:token:invalid-client-credentials',
  invalidAuthorizationHeader: 'oauth2:token:invalid-authorization-header',
  // Not in Oracle's public catalogue: the sandbox's name for a failed PKCE check (answered as invalid_grant).
  codeVerifierMismatch: 'oauth2:token:code-verifier-mismatch',
  tokenServerError: 'oauth2:token:server-error',
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
