import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainError, explainOracleUrn, urnFamily } from '../../utils/smart/oracle-errors';

/** Oracle's published error URNs, transcribed from its documentation (see the file's `source`). */
const published = JSON.parse(
  readFileSync(resolve('tests/fixtures/oracle/published-error-urns.json'), 'utf8'),
) as { urns: string[] };
const A = 'urn:cerner:error:authorization-server:';

describe("Oracle's published error URNs", () => {
  it('the transcribed list is complete and spelled as published', () => {
    expect(published.urns).toHaveLength(48);
    expect(new Set(published.urns).size).toBe(48);
    expect(published.urns.every((u) => u.startsWith(A))).toBe(true);
    // The spellings this project once got wrong.
    for (const tail of [
      'smart-v1:grant:launch:launch-code-required',
      'smart-v1:grant:launch:invalid-code',
      'smart-v1:grant:launch:mismatchted-identity',
      'oauth2:token:invalid_client_credentials',
      'oauth2:token:invalid_authorization_header',
    ])
      expect(published.urns).toContain(`${A}${tail}`);
  });

  it.each(published.urns)('%s has its own explanation', (urn) => {
    const e = explainOracleUrn(urn);
    expect(e.match).toBe('exact');
    expect(e.code).toBe(urn);
    // Not the family's words, and not just the URN echoed back.
    expect(e.explanation).not.toBe(urnFamily(urn)?.[1]);
    expect(e.explanation).not.toContain(urn.slice(A.length));
    expect(e.fix.length).toBeGreaterThan(10);
  });

  it('no two published URNs share an explanation', () => {
    const explanations = published.urns.map((u) => explainOracleUrn(u).explanation);
    expect(new Set(explanations).size).toBe(explanations.length);
  });

  it('finds each published URN inside an error page URL and explains it from error_uri', () => {
    for (const urn of published.urns) {
      const errorUri = `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/0f8c?persona=provider`;
      expect(explainError('invalid_request', errorUri)).toMatchObject({ code: urn, match: 'exact' });
    }
  });
});

describe('URNs outside the published list', () => {
  it.each([
    ['oauth2:token:code-invalid-or-expired', 'Code invalid or expired'],
    ['oauth2:grant:client-persona-mismatch', 'Persona mismatch'],
    ['oauth2:grant:missing-patient', 'No patient in context'],
  ])('%s (newer form or report) has its own explanation', (tail, title) => {
    const e = explainOracleUrn(`${A}${tail}`);
    expect(e.title).toBe(title);
    expect(e.match === 'exact' || e.match === 'loose').toBe(true);
  });

  it.each([
    ['smart-v1:grant:launch:persona-mismatch', 'Persona mismatch'],
    ['oauth2:grant:patient-context-missing', 'No patient in context'],
    ['oauth2:grant:missing_patient_context', 'No patient in context'],
  ])('matches unconfirmed spellings of reported errors loosely: %s', (tail, title) => {
    expect(explainOracleUrn(`${A}${tail}`)).toMatchObject({ title, match: 'loose' });
  });

  it.each([
    ['oauth2:token:refresh-token:revoked-by-admin', /refresh token/],
    ['oauth2:token:code:expired', /authorization code/],
    ['oauth2:token:code-verifier-mismatch', /token request/],
    ['smart-v1:grant:launch:code-required', /EHR launch/],
    ['smart-v1:grant:launch:invalid-launch-code', /EHR launch/],
    ['oauth2:grant:scope-not-allowed', /authorize request/],
    ['grant:session-service:authentication:timeout', /sign the user in/],
    ['brand-new-thing', /authorization server reported an error/],
  ])('explains the unlisted %s by its family', (tail, family) => {
    const e = explainOracleUrn(`${A}${tail}`);
    expect(e.match).toBe('family');
    expect(e.explanation).toMatch(family);
    expect(e.explanation).toContain(tail);
    expect(e.title).toBe(tail.split(':').pop()?.replace(/-/g, ' '));
  });

  it('picks the most specific family', () => {
    expect(urnFamily(`${A}oauth2:token:refresh-token:x`)?.[0]).toBe('Refresh rejected');
    expect(urnFamily(`${A}oauth2:token:code:x`)?.[0]).toBe('Authorization code rejected');
    expect(urnFamily(`${A}oauth2:token:x`)?.[0]).toBe('Token request rejected');
    expect(urnFamily('urn:cerner:error:oauth2:resource-access:x')?.[0]).toBe('FHIR access denied');
    expect(urnFamily('urn:cerner:error:other:x')).toBeUndefined();
  });

  it('names an underscore URN in words too', () => {
    expect(explainOracleUrn(`${A}oauth2:token:invalid_new_thing`).title).toBe('invalid new thing');
  });
});
