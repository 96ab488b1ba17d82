import { describe, expect, it } from 'vitest';
import {
  explainError,
  explainOAuthError,
  explainOracleUrn,
  findOracleUrn,
  urnTail,
} from '../../utils/smart/oracle-errors';

const URN = 'urn:cerner:error:authorization-server:oauth2:grant:unknown-client';

describe('oracle errors', () => {
  it('finds URNs in encoded error_uri, error-page paths and bodies', () => {
    expect(
      findOracleUrn(`https://authorization.cerner.com/errors/${encodeURIComponent(URN)}/instances/1?x`),
    ).toBe(URN);
    expect(findOracleUrn(encodeURIComponent(encodeURIComponent(URN)))).toBe(URN);
    expect(
      findOracleUrn('{"diagnostics":"urn:cerner:error:oauth2:resource-access:insufficient-scopes x"}'),
    ).toBe('urn:cerner:error:oauth2:resource-access:insufficient-scopes');
    expect(findOracleUrn('%E0%A4%A urn:cerner:error:x%3Ay')).toBe('urn:cerner:error:x:y');
    expect(findOracleUrn(undefined)).toBeUndefined();
    expect(urnTail(URN)).toBe('oauth2:grant:unknown-client');
  });
  it.each([
    ['oauth2:grant:unknown-client', 'Unknown client'],
    ['smart-v1:grant:launch:mismatchted-identity', 'Different user already signed in'],
    ['oauth2:token:code-invalid-or-expired', 'Code invalid or expired'],
    ['smart-v1:grant:launch:audience-required', 'aud missing'],
  ])('explains %s', (tail, title) => {
    expect(explainError('invalid_request', `urn:cerner:error:authorization-server:${tail}`)?.title).toBe(
      title,
    );
  });
  it('prefers the URN, falls back to the OAuth code, names unknown URNs', () => {
    expect(explainError('invalid_grant')?.title).toBe('Invalid grant');
    expect(explainOAuthError('nope')).toBeUndefined();
    expect(explainError('x', 'urn:cerner:error:authorization-server:brand-new-thing')?.title).toBe(
      'brand new thing',
    );
  });
});

const AUTHZ = 'urn:cerner:error:authorization-server:';
const INSUFFICIENT_SCOPES = 'urn:cerner:error:oauth2:resource-access:insufficient-scopes';

/** Every URN Oracle's error catalogue is documented to use (docs: "Responses and errors"). */
const DOCUMENTED_URNS = [
  ...[
    'invalid-request',
    'unknown-client',
    'invalid-redirect-uri',
    'invalid-redirect-uri-trailing-slash',
    'redirect-uri-not-absolute',
    'redirect-uri-not-registered',
    'unknown-tenant',
    'tenant-not-configured',
    'unauthorized-client-for-tenant',
    'server-error',
    'unsupported-response-type',
    'csrf-security-failure',
    'denied-by-server',
    'denied-by-user',
    'invalid-patient-id',
    'missing-patient',
    'client-persona-mismatch',
  ].map((t) => `${AUTHZ}oauth2:grant:${t}`),
  ...[
    'unsupported-grant-type',
    'invalid-redirect-uri',
    'empty-scopes',
    'terminated-client',
    'code:invalid',
    'code-invalid-or-expired',
    'code:client:mismatch',
    'invalid-client-credentials',
    'invalid-authorization-header',
  ].map((t) => `${AUTHZ}oauth2:token:${t}`),
  ...[
    'audience-required',
    'code-required',
    'invalid-launch-code',
    'unknown-resource-server',
    'mismatchted-identity',
    'audience-not-white-listed',
  ].map((t) => `${AUTHZ}smart-v1:grant:launch:${t}`),
  ...['error', 'cancelled', 'preauthentication'].map(
    (t) => `${AUTHZ}grant:session-service:authentication:${t}`,
  ),
  INSUFFICIENT_SCOPES,
];

describe('oracle error URN families', () => {
  it.each(DOCUMENTED_URNS)('has a catalogue entry for %s', (urn) => {
    const explained = explainOracleUrn(urn);
    expect(explained?.code).toBe(urn);
    // The fallback for unknown URNs only echoes the URN back.
    expect(explained?.explanation).not.toContain(urn);
  });

  it('explains the FHIR servers’ resource-access URN found in a 403 body or WWW-Authenticate', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'forbidden',
          diagnostics: `${INSUFFICIENT_SCOPES} no_scope_for_resource_path`,
        },
      ],
    });
    const fromBody = explainError('insufficient_scope', body);
    expect(fromBody?.code).toBe(INSUFFICIENT_SCOPES);
    expect(fromBody?.title).toBe('Insufficient scopes');
    expect(fromBody?.explanation).toMatch(/access token/);

    const header = `Bearer realm="fhir-ehr-code.cerner.com", error="insufficient_scope", error_uri="${INSUFFICIENT_SCOPES}"`;
    expect(findOracleUrn(header)).toBe(INSUFFICIENT_SCOPES);
    expect(explainError(undefined, header)?.title).toBe('Insufficient scopes');
    expect(urnTail(INSUFFICIENT_SCOPES)).toBe('oauth2:resource-access:insufficient-scopes');
  });

  it('looks a URN up only in its own family', () => {
    // Right tail, wrong family: not Oracle's insufficient-scopes URN.
    const misplaced = `${AUTHZ}resource-access:insufficient-scopes`;
    expect(explainOracleUrn(misplaced)?.explanation).toBe(`Oracle reported ${misplaced}.`);
    const crossed = `urn:cerner:error:oauth2:resource-access:oauth2:grant:unknown-client`;
    expect(explainOracleUrn(crossed)?.title).toBe('unknown client');
    expect(explainOracleUrn(crossed)?.explanation).toBe(`Oracle reported ${crossed}.`);
    // An unknown resource-access URN is named by its last segment.
    const unknown = 'urn:cerner:error:oauth2:resource-access:no-scope-for-resource-path';
    expect(explainOracleUrn(unknown)?.title).toBe('no scope for resource path');
  });

  it('does not take a sentence’s full stop into the URN', () => {
    expect(findOracleUrn(`Access denied (${INSUFFICIENT_SCOPES}).`)).toBe(INSUFFICIENT_SCOPES);
    expect(findOracleUrn(`Denied: ${INSUFFICIENT_SCOPES}.`)).toBe(INSUFFICIENT_SCOPES);
    expect(findOracleUrn(`${AUTHZ}oauth2:grant:unknown-client:`)).toBe(`${AUTHZ}oauth2:grant:unknown-client`);
  });

  it('does not mistake object built-ins for catalogue entries', () => {
    expect(explainOAuthError('constructor')).toBeUndefined();
    expect(explainOAuthError('__proto__')).toBeUndefined();
    expect(explainOracleUrn(`${AUTHZ}constructor`)?.title).toBe('constructor');
    expect(explainOracleUrn(`${INSUFFICIENT_SCOPES.replace('insufficient-scopes', 'toString')}`)?.title).toBe(
      'toString',
    );
  });

  it('explains a cancelled sign-in from its error_uri', () => {
    const urn = `${AUTHZ}grant:session-service:authentication:cancelled`;
    const errorUri = `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/0f8c1a52-3a6b-4a59-9a61-5d0b5a3b1c11`;
    const explained = explainError('access_denied', errorUri);
    expect(explained?.code).toBe(urn);
    expect(explained?.title).toBe('Sign-in cancelled');
  });
});
