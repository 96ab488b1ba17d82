import { describe, expect, it } from 'vitest';
import { isMasked, pkceProblems, s256Challenge, valueLength, verifierMatches } from '../../utils/smart/pkce';

describe('pkce', () => {
  it.each([
    [{ tokenSeen: false }, ['challenge-missing']],
    [{ tokenSeen: true, verifier: 'v…[43]' }, ['challenge-missing', 'verifier-unexpected']],
    [{ tokenSeen: true, challenge: 'c', method: 'S256', verifier: 'abc…[43]' }, []],
    [{ tokenSeen: true, challenge: 'c', method: 'S256' }, ['verifier-missing']],
    [{ tokenSeen: true, challenge: 'c', verifier: 'abc…[43]' }, ['method-plain']],
    [
      { tokenSeen: true, challenge: 'c', method: 'S512', verifier: 'short' },
      ['method-unknown', 'verifier-length'],
    ],
    [{ tokenSeen: false, challenge: 'c', method: 'S256' }, []],
  ])('%j → %j', (input, expected) => {
    expect(pkceProblems(input)).toEqual(expected);
  });
  it('reads lengths from masks', () => {
    expect(valueLength('abc…[43]')).toBe(43);
    expect(valueLength('abc…(len 129)')).toBe(129);
    expect(valueLength('plain')).toBe(5);
    expect(isMasked('…[3]')).toBe(true);
  });
  it('computes the RFC 7636 S256 example and checks verifiers in clear only', async () => {
    // RFC 7636 appendix B
    expect(await s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(
      await verifierMatches(
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      ),
    ).toBe(true);
    expect(
      await verifierMatches(
        'other-verifier-other-verifier-other-verifier',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      ),
    ).toBe(false);
    expect(await verifierMatches('dBj…[43]', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBeUndefined();
  });
});
