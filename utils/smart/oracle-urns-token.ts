import type { UrnEntry } from './oracle-urn-types';

/**
 * Oracle's token-endpoint URNs, keyed by the URN without `urn:cerner:error:authorization-server:`.
 * The published list spells two with underscores (`invalid_authorization_header`,
 * `invalid_client_credentials`); `code-invalid-or-expired` is the newer form current docs and servers use
 * where the list says `code:invalid`.
 */
export const TOKEN_URNS: Record<string, UrnEntry> = {
  'oauth2:token:unsupported-grant-type': [
    'Unsupported grant type',
    'The token endpoint does not support this grant_type.',
    'Use grant_type=authorization_code (or refresh_token).',
  ],
  'oauth2:token:invalid-redirect-uri': [
    'Token redirect_uri mismatch',
    'The redirect_uri on the token request differs from the one sent to authorize, or is not a valid URI.',
    'Send the same redirect_uri in the token request as in the authorize request.',
  ],
  'oauth2:token:empty-scopes': [
    'No scopes granted',
    'The token would carry no scopes: the request left none that can be granted, or (on refresh) the app is no longer authorized for the scopes of the refresh token.',
    'Request scopes the app is registered for, in the version (v1/v2) it is registered with.',
  ],
  'oauth2:token:terminated-client': [
    'Client terminated',
    'The app holds a valid token, but its registration has been terminated.',
    'Register the app again or contact Oracle.',
  ],
  'oauth2:token:code:invalid': [
    'Invalid authorization code',
    'The authorization code is invalid or has expired (codes are single-use and short-lived).',
    'Exchange the code from the latest callback right away, once; relaunch to get a new one.',
  ],
  'oauth2:token:code-invalid-or-expired': [
    'Code invalid or expired',
    'The authorization code was already used or has expired.',
    'Exchange each code once, promptly; relaunch to get a new code.',
  ],
  'oauth2:token:code:client:mismatch': [
    'Code issued to another client',
    'The client_id on the token request differs from the one the code was issued to.',
    'Use the same client_id for authorize and token.',
  ],
  'oauth2:token:code:tenant:mismatch': [
    'Code issued for another tenant',
    'The token request names a different tenant than the one the code was issued for.',
    'Use the token_endpoint from the discovery document of the same iss the launch used.',
  ],
  'oauth2:token:code:tenant-terminated': [
    'App no longer authorized for the tenant',
    'The app is no longer authorized for the tenant the code was issued for.',
    'Ask the tenant administrator to enable the app again, then relaunch.',
  ],
  'oauth2:token:code:tenant-invalid': [
    'Tenant not registered',
    'The tenant the token was requested for is not registered.',
    'Use the token_endpoint of the tenant the launch came from.',
  ],
  'oauth2:token:invalid_authorization_header': [
    'Invalid Authorization header',
    'The Authorization header of the token request (client_credentials / confidential client) is malformed or invalid.',
    'Send Basic base64(client_id:client_secret), both parts form-encoded, or a valid client assertion.',
  ],
  'oauth2:token:invalid_client_credentials': [
    'Invalid client credentials',
    'The client credentials were rejected: wrong client secret or an invalid signed assertion.',
    'Check the client secret / signing key registered for the app.',
  ],
  'oauth2:token:patient-scope-requires-one-patient-id': [
    'patient/ scope needs one patient',
    'A patient/ scope was requested, but not exactly one patient was selected.',
    'Select exactly one patient, or request user/ or system/ scopes instead.',
  ],
  'oauth2:token:tenant-not-enabled-for-testing': [
    'Tenant not enabled for test tokens',
    'The tenant does not allow test tokens issued on behalf of users.',
    'Use a tenant enabled for testing (e.g. the public sandbox) or a real launch.',
  ],
  'oauth2:token:client-not-enabled-for-testing': [
    'Client not enabled for test tokens',
    'The app is not allowed to obtain test tokens on behalf of users.',
    'Enable testing for the app, or get the token through a real launch.',
  ],
  'oauth2:token:invalid-testing-scenario': [
    'Impossible test scenario',
    'The simulated test request is not possible, e.g. system and user scopes together, or too many (or no) patients.',
    'Request one kind of scope and exactly the patients the scenario needs.',
  ],
  'oauth2:token:refresh-token:token-invalid': [
    'Refresh token invalid',
    'The refresh token is invalid, has expired, or the user revoked it.',
    'Relaunch the app to get a new refresh token.',
  ],
  'oauth2:token:refresh-token:session-invalid': [
    'Sign-in session ended',
    "The refresh token was issued for online_access and the user's session has ended (signed out or expired).",
    'Relaunch and sign in again; request offline_access if the app must refresh without a session.',
  ],
  'oauth2:token:refresh-token:tenant-terminated': [
    'App no longer authorized for the tenant',
    'The app is no longer authorized for the tenant the refresh token was issued for.',
    'Ask the tenant administrator to enable the app again, then relaunch.',
  ],
};
