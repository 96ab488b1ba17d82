/**
 * PKCE (RFC 7636) checks that work on recorded, redacted values: presence, method, verifier length
 * (read from the mask when the value itself is hidden) and, when the verifier is known in clear, the
 * S256 relation between verifier and challenge.
 */

export const VERIFIER_MIN = 43;
export const VERIFIER_MAX = 128;
/** Redaction masks: `abc…[36]` (utils/redact) and the older `abc…(len 36)` spelling. */
const MASK_LENGTH = /…(?:\[(\d+)\]|\(len (\d+)\))$/;

/** Length of a possibly masked value (`abc…[43]` → 43). */
export function valueLength(value: string): number {
  const m = MASK_LENGTH.exec(value);
  return m ? Number(m[1] ?? m[2]) : value.length;
}

export function isMasked(value: string): boolean {
  return MASK_LENGTH.test(value);
}

export type PkceProblem =
  | 'challenge-missing'
  | 'method-plain'
  | 'method-unknown'
  | 'verifier-missing'
  | 'verifier-length'
  | 'verifier-unexpected';

export interface PkceInput {
  challenge?: string;
  method?: string;
  verifier?: string;
  /** Whether a token request was seen at all (otherwise verifier problems cannot be judged). */
  tokenSeen: boolean;
}

export function pkceProblems(p: PkceInput): PkceProblem[] {
  const out: PkceProblem[] = [];
  if (!p.challenge) {
    out.push('challenge-missing');
    if (p.tokenSeen && p.verifier) out.push('verifier-unexpected');
    return out;
  }
  const method = p.method ?? 'plain';
  if (method === 'plain') out.push('method-plain');
  else if (method !== 'S256') out.push('method-unknown');
  if (p.tokenSeen) {
    if (!p.verifier) out.push('verifier-missing');
    else {
      const n = valueLength(p.verifier);
      if (n < VERIFIER_MIN || n > VERIFIER_MAX) out.push('verifier-length');
    }
  }
  return out;
}

function base64url(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** S256 challenge of a verifier (needs the verifier in clear, i.e. the user opted in to keep secrets). */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(digest);
}

/** True/false when it can be checked, undefined when the verifier is masked. */
export async function verifierMatches(
  verifier: string,
  challenge: string,
  method = 'S256',
): Promise<boolean | undefined> {
  if (isMasked(verifier) || isMasked(challenge)) return undefined;
  return method === 'plain' ? verifier === challenge : (await s256Challenge(verifier)) === challenge;
}
