import { decodeComponent } from '../url/percent';

/** Secrets shorter than this are masked without any prefix, so a prefix never reveals most of one. */
const MIN_LENGTH_FOR_PREFIX = 12;
const PREFIX_CHARS = 3;
const MASKED = /^[^…]{0,3}…\[\d+\]$/;

/** True for a value this module produced, e.g. `abc…[36]` (so masking twice changes nothing). */
export function isMasked(value: string): boolean {
  return MASKED.test(value);
}

/**
 * Replace a secret with a short prefix plus its length (`abc…[36]`): two recordings of the same flow
 * stay comparable (same shape, same lengths) while the secret itself is gone.
 */
export function mask(value: string): string {
  if (isMasked(value)) return value;
  const chars = Array.from(value);
  const prefix = chars.length >= MIN_LENGTH_FOR_PREFIX ? chars.slice(0, PREFIX_CHARS).join('') : '';
  return `${prefix.replace(/…/g, '.')}…[${chars.length}]`;
}

/** Mask a percent-encoded query value; a value that already decodes to a mask is kept as is. */
export function maskEncoded(raw: string): string {
  const decoded = decodeComponent(raw).value;
  if (isMasked(decoded)) return raw;
  return encodeURIComponent(mask(decoded));
}

const JWT = /^(eyJ[\w-]*)\.(eyJ[\w-]*)\.([\w-]*)$/;

/**
 * A signed JWT keeps its header and claims (useful for diagnosis: aud, exp, fhirUser…) but loses its
 * signature, which is what makes it usable as a credential.
 */
export function maskJwtSignature(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length === 3 && isMasked(parts[2] ?? '') && /^eyJ/.test(parts[0] ?? '')) return token;
  const m = JWT.exec(token);
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${mask(m[3] ?? '')}`;
}
