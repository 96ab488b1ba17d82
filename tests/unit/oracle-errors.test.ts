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
  it.each([
    ['login_required', 'Sign-in required'],
    ['interaction_required', 'Interaction required'],
    ['consent_required', 'Consent required'],
    ['account_selection_required', 'Account selection required'],
  ])('explains the OpenID Connect error %s of a silent request (prompt=none)', (code, title) => {
    const e = explainOAuthError(code);
    expect(e?.title).toBe(title);
    expect(e?.explanation).toContain('prompt=none');
    expect(e?.fix).toMatch(/^Authorize again without prompt=none/);
  });
  it('prefers the URN, falls back to the OAuth code, names unknown URNs', () => {
    expect(explainError('invalid_grant')?.title).toBe('Invalid grant');
    expect(explainOAuthError('nope')).toBeUndefined();
    expect(explainError('x', 'urn:cerner:error:authorization-server:brand-new-thing')?.title).toBe(
      'brand new thing',
    );
    const foreign = 'urn:cerner:error:scheduling:slot-taken';
    expect(explainError('x', foreign)).toMatchObject({
      match: 'unknown',
      title: 'slot taken',
      explanation: `Oracle reported ${foreign}.`,
    });
  });
});

const AUTHZ = 'urn:cerner:error:authorization-server:';
const INSUFFICIENT_SCOPES = 'urn:cerner:error:oauth2:resource-access:insufficient-scopes';

describe('oracle error URN families', () => {
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
    // Right tail, wrong family: not Oracle's insufficient-scopes URN, only the authorization server's family.
    const misplaced = `${AUTHZ}resource-access:insufficient-scopes`;
    expect(explainOracleUrn(misplaced).match).toBe('family');
    expect(explainOracleUrn(misplaced).title).toBe('insufficient scopes');
    const crossed = `urn:cerner:error:oauth2:resource-access:oauth2:grant:unknown-client`;
    expect(explainOracleUrn(crossed).title).toBe('unknown client');
    expect(explainOracleUrn(crossed).match).toBe('family');
    expect(explainOracleUrn(crossed).explanation).toMatch(/^The FHIR server refused/);
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
