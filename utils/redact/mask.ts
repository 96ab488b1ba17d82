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
  rememberSecret(value);
  return masked(value);
}

function masked(value: string): string {
  const chars = Array.from(value);
  const prefix = chars.length >= MIN_LENGTH_FOR_PREFIX ? chars.slice(0, PREFIX_CHARS).join('') : '';
  return `${prefix.replace(/…/g, '.')}…[${chars.length}]`;
}

/**
 * Secrets masked earlier in this process (a login form's password, a code, a client secret, a cookie),
 * the most recent MAX_ECHOES, so that a server echoing one later in its own words ("Invalid password
 * 'hunter2x' for bob") has it masked there too (maskEchoes(), redactProse()): such a value has no name
 * and no shape to find it by. Kept in memory only, never stored; a restarted service worker starts with
 * none. Values shorter than 8 characters (6 with a digit), and lowercase words shorter than 12, are left
 * out: too many words of prose match.
 */
const echoes = new Map<string, true>();
const MAX_ECHOES = 128;
const MAX_ECHO_CHARS = 512;

function rememberSecret(value: string): void {
  const n = value.length;
  if (n > MAX_ECHO_CHARS || n < 6 || (n < 8 && !/\d/.test(value))) return;
  // A plain lowercase word ("continue", a form's hidden field) would mask prose; a secret of 12 or more is kept.
  if (n < 12 && /^[a-z]+$/.test(value)) return;
  if (echoes.has(value)) {
    echoes.delete(value);
    echoes.set(value, true);
    return;
  }
  if (echoes.size >= MAX_ECHOES) echoes.delete(echoes.keys().next().value as string);
  echoes.set(value, true);
  echoPattern = undefined;
}

/** Every remembered secret, longest first, in one pattern (made again after a change). */
let echoPattern: RegExp | undefined;

/** Forgets what mask() has seen (tests). */
export function forgetMaskedSecrets(): void {
  echoes.clear();
  echoPattern = undefined;
}

const WORD_CHAR = /[A-Za-z0-9]/;

/** `text` with every secret mask() has seen masked where it stands as a word of its own. */
export function maskEchoes(text: string): string {
  if (echoes.size === 0 || text.length < 6) return text;
  echoPattern ??= new RegExp(
    [...echoes.keys()]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  return text.replace(echoPattern, (found: string, at: number, whole: string) =>
    (WORD_CHAR.test(whole.charAt(at - 1)) && !ESCAPE_BEFORE.test(whole.slice(Math.max(0, at - 3), at))) ||
    WORD_CHAR.test(whole.charAt(at + found.length))
      ? found
      : masked(found),
  );
}

/** A percent escape (`%3D`, an encoded `=`) just before a word: the word starts there all the same. */
const ESCAPE_BEFORE = /%[0-9A-Fa-f]{2}$/;

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
