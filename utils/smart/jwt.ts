import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { isMasked } from './pkce';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JWTPayload;
  /** Seconds until `exp` relative to `now` (negative when expired); undefined without `exp`. */
  expiresInS?: number;
  expired: boolean;
  /** True when the signature part was masked by redaction (claims kept, signature hidden). */
  signatureRedacted: boolean;
}

export type JwtResult = { ok: true; jwt: DecodedJwt } | { ok: false; error: string };

/** Decode without verifying. Never throws; the error says what is wrong in plain words. */
export function decodeJwtSafe(token: string | undefined, nowMs = Date.now()): JwtResult {
  if (!token) return { ok: false, error: 'no token' };
  if (isMasked(token) && token.split('.').length < 3)
    return { ok: false, error: 'token was redacted (only its length is known)' };
  const parts = token.split('.');
  if (parts.length === 5) return { ok: false, error: 'token is encrypted (JWE); its claims cannot be read' };
  if (parts.length !== 3)
    return { ok: false, error: `not a JWT: expected 3 dot-separated parts, found ${parts.length}` };
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>;
    const claims = decodeJwt(token);
    const jwt: DecodedJwt = { header, claims, expired: false, signatureRedacted: isMasked(parts[2] ?? '') };
    if (typeof claims.exp === 'number') {
      jwt.expiresInS = Math.round(claims.exp - nowMs / 1000);
      jwt.expired = jwt.expiresInS <= 0;
    }
    return { ok: true, jwt };
  } catch (e) {
    return { ok: false, error: `broken JWT: ${(e as Error).message}` };
  }
}

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; error: string };

/** Check the signature (and exp/nbf, issuer and audience when given) against a JWKS document. */
export async function verifyJwt(
  token: string,
  jwks: JSONWebKeySet,
  opts: { issuer?: string; audience?: string; nowMs?: number } = {},
): Promise<VerifyResult> {
  if (isMasked(token)) return { ok: false, error: 'signature was redacted; it cannot be checked' };
  try {
    const keySet = createLocalJWKSet(jwks);
    const { payload } = await jwtVerify(token, keySet, {
      ...(opts.issuer ? { issuer: opts.issuer } : {}),
      ...(opts.audience ? { audience: opts.audience } : {}),
      ...(opts.nowMs !== undefined ? { currentDate: new Date(opts.nowMs) } : {}),
    });
    return { ok: true, claims: payload };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { ok: false, error: err.code ? `${err.code}: ${err.message}` : err.message };
  }
}
