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

/**
 * decodeJwtSafe()'s error for a token, or undefined when it decodes. A token whose header and payload
 * are base64url of ASCII JSON objects (the usual case) is answered without jose, which would decode it
 * the same way; anything else goes through decodeJwtSafe().
 */
export function jwtDecodeError(token: string | undefined): string | undefined {
  if (token && plainPayload(token)) return undefined;
  const result = decodeJwtSafe(token, 0);
  return result.ok ? undefined : result.error;
}

/** A token's claims without verifying it (undefined when it cannot be decoded), cheaply as above. */
export function jwtClaims(token: string | undefined): JWTPayload | undefined {
  const plain = token ? plainPayload(token) : undefined;
  if (plain) return plain;
  const result = decodeJwtSafe(token, 0);
  return result.ok ? result.jwt.claims : undefined;
}

/** The payload of a token whose header and payload are base64url of ASCII JSON objects. */
function plainPayload(token: string): JWTPayload | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.includes('.', second + 1)) return undefined;
  if (!jsonObjectSegment(token.slice(0, first))) return undefined;
  return jsonObjectSegment(token.slice(first + 1, second));
}

/** The object a base64url (no padding) segment of ASCII JSON holds; undefined for anything else. */
function jsonObjectSegment(segment: string): JWTPayload | undefined {
  if (segment.length % 4 === 1) return undefined;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return undefined;
  }
  let text: string;
  try {
    text = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JWTPayload)
    : undefined;
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
