import { describe, expect, it } from 'vitest';
import { audiences, grantsFhirUser, idTokenGaps } from '../../utils/smart/id-token';

describe('idTokenGaps', () => {
  it('names an audience that leaves out the client_id, as a string or a list', () => {
    expect(idTokenGaps({ aud: 'other-app' }, 'my-app', false).foreignAudience).toEqual(['other-app']);
    expect(idTokenGaps({ aud: ['a', 'b'] }, 'my-app', false).foreignAudience).toEqual(['a', 'b']);
    expect(idTokenGaps({ aud: ['a', 'my-app'] }, 'my-app', false).foreignAudience).toBeUndefined();
    expect(idTokenGaps({ aud: 'my-app' }, 'my-app', false).foreignAudience).toBeUndefined();
  });

  it('says nothing of the audience when the client_id or aud is unknown', () => {
    expect(idTokenGaps({ aud: 'other-app' }, undefined, false).foreignAudience).toBeUndefined();
    expect(idTokenGaps({}, 'my-app', false).foreignAudience).toBeUndefined();
    expect(audiences({ aud: [1, 'x'] as unknown as string[] })).toEqual(['x']);
  });

  it('misses fhirUser only when it was granted and neither fhirUser nor profile is a claim', () => {
    expect(idTokenGaps({ sub: 'u' }, 'a', true).noFhirUser).toBe(true);
    expect(idTokenGaps({ sub: 'u' }, 'a', false).noFhirUser).toBe(false);
    expect(idTokenGaps({ fhirUser: 'Practitioner/1' }, 'a', true).noFhirUser).toBe(false);
    expect(idTokenGaps({ profile: 'Patient/1' }, 'a', true).noFhirUser).toBe(false);
  });

  it('reads fhirUser (v2) and profile (v1) as granting the user claim, nothing else', () => {
    expect(grantsFhirUser(['openid', 'fhirUser'])).toBe(true);
    expect(grantsFhirUser(['openid', 'profile'])).toBe(true);
    expect(grantsFhirUser(['openid', 'user/fhirUser.read', 'patient/*.read'])).toBe(false);
    expect(grantsFhirUser([])).toBe(false);
  });
});
