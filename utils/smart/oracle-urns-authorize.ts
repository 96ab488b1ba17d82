import type { UrnEntry } from './oracle-urn-types';

/**
 * Oracle's published authorize-side URNs (grant, EHR launch, session service and server-wide), keyed by
 * the URN without `urn:cerner:error:authorization-server:` and spelled exactly as Oracle publishes them
 * (`mismatchted-identity` keeps Oracle's typo). Causes follow Oracle's one-line descriptions.
 */
export const AUTHORIZE_URNS: Record<string, UrnEntry> = {
  'oauth2:grant:invalid-request': [
    'Invalid authorize request',
    'The authorize request was syntactically invalid: a required parameter is missing or malformed.',
    'Compare the authorize parameters with the SMART spec: response_type, client_id, redirect_uri, scope, state, aud.',
  ],
  'oauth2:grant:unknown-client': [
    'Unknown client',
    'The client_id is not registered with this authorization server (unknown, mistyped, or registered elsewhere).',
    'Check the client_id in the app configuration against the app registered in Code Console.',
  ],
  'oauth2:grant:invalid-redirect-uri': [
    'Invalid redirect_uri',
    'The redirect_uri does not match the one registered for the app.',
    'Register the exact redirect_uri in Code Console, or send the registered one.',
  ],
  'oauth2:grant:invalid-redirect-uri-trailing-slash': [
    'redirect_uri differs by a trailing slash',
    'The redirect_uri differs from the registered one only by a trailing slash; Oracle matches strictly.',
    'Send the redirect_uri exactly as registered, including or omitting the trailing slash.',
  ],
  'oauth2:grant:redirect-uri-not-absolute': [
    'redirect_uri is not absolute',
    'The requested or the registered redirect_uri is not an absolute URL.',
    'Use a full https:// (or http://localhost) URL as redirect_uri, both in the request and in Code Console.',
  ],
  'oauth2:grant:redirect-uri-not-registered': [
    'redirect_uri not registered',
    'The app has no redirect_uri registered that matches this one.',
    'Add this redirect_uri to the app in Code Console.',
  ],
  'oauth2:grant:unknown-tenant': [
    'Unknown tenant',
    'The client and redirect_uri are valid, but the tenant id in the authorize URL is unknown.',
    'Launch with the iss of an existing tenant and use the authorize URL from its discovery document.',
  ],
  'oauth2:grant:tenant-not-configured': [
    'Tenant not configured for this persona',
    'The tenant exists, but it has no identity provider configured for this persona (provider or patient).',
    'Use the persona the tenant supports, or ask the tenant administrator / Oracle to configure it.',
  ],
  'oauth2:grant:unauthorized-client-for-tenant': [
    'App not enabled for the tenant',
    'The client and redirect_uri are valid, but the app is not authorized for this tenant.',
    'Enable the app for the tenant (Code Console / tenant administrator).',
  ],
  'oauth2:grant:server-error': [
    'Authorization server error',
    'The client and redirect_uri were valid, but the authorization server failed while handling the request.',
    'Retry; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'oauth2:grant:unsupported-response-type': [
    'Unsupported response_type',
    'A response_type other than "code" was requested.',
    'Send response_type=code.',
  ],
  'oauth2:grant:csrf-security-failure': [
    'CSRF check failed',
    "The CSRF token that confirms the user's approval was invalid (a stale approval page, the back button, or a conflicting session).",
    'Clear the authorization.cerner.com session and relaunch.',
  ],
  'oauth2:grant:denied-by-server': [
    'Denied by the server',
    'The server refused the request because the app is not authorized for any of the scopes it requested.',
    'Request only scopes the app is registered for, in the version (v1/v2) it is registered with.',
  ],
  'oauth2:grant:denied-by-user': [
    'Denied by the user',
    'The user declined the authorization request, directly or by cancelling sign-in.',
    'Relaunch and approve the requested access.',
  ],
  'oauth2:grant:invalid-patient-id': [
    'Invalid patient',
    "The selected patient does not exist, or the user may not see that patient's records.",
    'Launch with a patient the signed-in user has access to.',
  ],
  'oauth2:grant:authorized-representative-server-error': [
    'Authorized-representative service error',
    'The service that resolves authorized representatives (proxies acting for a patient) returned a server error.',
    'Retry; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'smart-v1:grant:launch:audience-required': [
    'aud missing',
    'A launch scope was requested but the authorize request carried no aud.',
    'Send aud equal to the iss the app was launched with.',
  ],
  'smart-v1:grant:launch:launch-code-required': [
    'launch missing',
    'The launch scope was requested, but the authorize request carried no launch parameter.',
    'Pass the launch value from the launch URL to authorize unchanged (or drop the launch scope for a standalone launch).',
  ],
  'smart-v1:grant:launch:unknown-resource-server': [
    'Unknown FHIR server',
    'The launch came from a FHIR server (aud) this authorization server does not know.',
    'Send aud equal to the iss of the launch.',
  ],
  'smart-v1:grant:launch:invalid-code': [
    'Invalid launch',
    'The launch value is not valid: invented, altered, already used or expired.',
    'Relaunch from the EHR and pass the fresh launch value unchanged, once.',
  ],
  'smart-v1:grant:launch:mismatchted-identity': [
    'Different user already signed in',
    "A different user is already signed in to the EHR's launch mechanism in this browser.",
    'Clear the authorization.cerner.com session (or sign out) and relaunch as the right user.',
  ],
  'smart-v1:grant:launch:unsupported-version': [
    'Launch version not supported',
    'The EHR does not support the version of the launch that was requested.',
    'Launch with the SMART version the EHR supports (check the discovery document).',
  ],
  'smart-v1:grant:launch:unspecified': [
    'EHR could not resolve the launch',
    'The EHR failed to resolve the launch context for an unspecified reason.',
    'Relaunch from the EHR; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'smart-v1:grant:launch:unregistered-service': [
    'Launch service not configured',
    'The launch-resolution service is not configured for this tenant.',
    'Ask the tenant administrator or Oracle to configure EHR launches for the tenant.',
  ],
  'smart-v1:grant:launch:audience-not-white-listed': [
    'aud not allowed',
    'The FHIR server named in aud is not approved for this app or tenant.',
    'Send aud equal to the iss of the launch.',
  ],
  'unregistered-authorized-representatives-server': [
    'Authorized-representative service not configured',
    'The service that resolves authorized representatives is not configured properly.',
    'Ask the tenant administrator or Oracle to configure it; give support the Cerner-Correlation-Id.',
  ],
  preauthentication: [
    'Pre-authentication failed',
    'A fatal error happened in the pre-authentication step of the launch.',
    'Relaunch from the EHR; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'server-error': [
    'Authorization server error',
    'The authorization server reported an unspecified error.',
    'Retry; if it persists give Oracle support the Cerner-Correlation-Id.',
  ],
  'grant:session-service:authentication:cancelled': [
    'Sign-in cancelled',
    'The user or the identity provider cancelled sign-in.',
    'Relaunch and complete sign-in.',
  ],
  'grant:session-service:authentication:error': [
    'Sign-in failed',
    'An unspecified error happened while the session service signed the user in.',
    'Sign in again; clear the authorization.cerner.com session if it keeps failing.',
  ],
};
