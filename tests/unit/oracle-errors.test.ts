import { describe, expect, it } from 'vitest';
import { explainError, explainOAuthError, findOracleUrn, urnTail } from '../../utils/smart/oracle-errors';

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
