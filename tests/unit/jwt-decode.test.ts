import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwtSafe, verifyJwt } from '../../utils/smart/jwt';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const NOW = Date.UTC(2025, 4, 12, 14, 3, 0);

describe('decodeJwtSafe', () => {
  it('decodes header and claims and computes expiry', () => {
    const exp = NOW / 1000 + 570;
    const r = decodeJwtSafe(`${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 'u', exp })}.sig`, NOW);
    expect(r).toEqual({
      ok: true,
      jwt: {
        header: { alg: 'RS256', kid: 'k1' },
        claims: { sub: 'u', exp },
        expiresInS: 570,
        expired: false,
        signatureRedacted: false,
      },
    });
    const late = decodeJwtSafe(`${b64({ alg: 'RS256' })}.${b64({ exp })}.sig`, NOW + 600_000);
    expect(late.ok && late.jwt.expired).toBe(true);
  });
  it('keeps claims when only the signature was redacted', () => {
    const r = decodeJwtSafe(`${b64({ alg: 'RS256' })}.${b64({ aud: 'c' })}.c2l…[342]`, NOW);
    expect(r.ok && r.jwt.signatureRedacted).toBe(true);
  });
  it.each([
    [undefined, 'no token'],
    ['eyJ…[812]', 'redacted'],
    ['a.b', 'expected 3'],
    ['a.b.c.d.e', 'encrypted'],
    ['!!!.@@@.x', 'broken JWT'],
    [`${b64({ alg: 'none' })}.bm90IGpzb24.x`, 'broken JWT'],
  ])('explains %s', (token, message) => {
    const r = decodeJwtSafe(token, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.base64String(), { maxLength: 4 }), (s, parts) => {
        decodeJwtSafe(s, NOW);
        decodeJwtSafe(parts.join('.'), NOW);
      }),
      { numRuns: 400 },
    );
  });
});

describe('verifyJwt', () => {
  it('checks the signature against a JWKS', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const token = await new SignJWT({ fhirUser: 'Practitioner/1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://as')
      .setAudience('app')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await verifyJwt(token, { keys: [jwk] }, { issuer: 'https://as', audience: 'app' })).toMatchObject({
      ok: true,
      claims: { fhirUser: 'Practitioner/1' },
    });
    const wrongKey = { keys: [{ ...(await exportJWK(other.publicKey)), kid: 'k1', alg: 'ES256' }] };
    const bad = await verifyJwt(token, wrongKey);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const wrongAud = await verifyJwt(token, { keys: [jwk] }, { audience: 'other' });
    expect(!wrongAud.ok && wrongAud.error).toContain('aud');
    expect(await verifyJwt('x.y.c2l…[342]', { keys: [jwk] })).toEqual({
      ok: false,
      error: 'signature was redacted; it cannot be checked',
    });
  });
});
