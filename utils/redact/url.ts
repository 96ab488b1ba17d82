import { decodeComponent, looksEncoded } from '../url/percent';
import { maskEncoded, maskJwtSignature } from './mask';
import { isProseName, isSecretName } from './names';
import { redactProse, redactText } from './text';

/** Nested URLs (`to=` inside `to=`…) are redacted structurally this deep; deeper ones by text scanning. */
export const MAX_REDACT_DEPTH = 6;

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/[^?#]*\?)/i;

/**
 * Redact a URL: secret query and fragment parameters are masked, URL-valued parameters (`to=`,
 * `redirect_uri` carrying a `code`…) are redacted recursively, however many times they were
 * percent-encoded. Everything else is kept byte for byte, so the result decodes like the original.
 */
export function redactUrl(url: string, depth = 0): string {
  if (depth > MAX_REDACT_DEPTH) return redactText(url);
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? undefined : url.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? undefined : beforeHash.slice(q + 1);
  // `;jsessionid=…` (matrix parameters) and the like: a path with `=` is scanned as text.
  let out = redactPathTokens(
    path.includes('=') ? redactText(redactUserinfo(path)) : redactJwtsIn(redactUserinfo(path)),
  );
  if (query !== undefined) out += `?${redactQuery(query, depth)}`;
  if (fragment !== undefined) out += `#${redactFragment(fragment, depth)}`;
  return out;
}

/**
 * A fragment with parameters: `#code=…&state=…` (response_mode=fragment), or a single-page app's hash
 * route with a query of its own (`#/callback?code=…`), whose parameters start after its `?`.
 */
function redactFragment(fragment: string, depth: number): string {
  const q = fragment.indexOf('?');
  if (q !== -1 && !fragment.slice(0, q).includes('='))
    return `${redactPathTokens(fragment.slice(0, q))}?${redactQuery(fragment.slice(q + 1), depth)}`;
  // `#code%3D…`: a separator written encoded reads as one name to a parser; redactQuery() decodes it.
  return fragment.includes('=') || /%3D/i.test(fragment)
    ? redactQuery(fragment, depth)
    : redactPathTokens(fragment);
}

/** Redact an `a=1&b=2` string (query, fragment or form body). */
export function redactQuery(query: string, depth = 0): string {
  const pairs = query.split('&');
  const plain = query.includes('code_challenge') && plainPkce(pairs);
  return pairs
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return encodedPair(pair, depth);
      const rawName = pair.slice(0, eq);
      const rawValue = pair.slice(eq + 1);
      if (!rawValue) return pair;
      // `cb?x=1?code=…` (a `?code=` appended to a redirect URI that has a query) or `cb??code=…`: the
      // name after the last `?` is the one the server meant.
      const name = afterQuestion(decodeComponent(rawName).value);
      // An id_token keeps its header and claims (who signed in, for which audience) and loses its
      // signature, as in a token response (redact/json.ts).
      if (/^id[_-]?token$/i.test(name)) {
        const jwt = decodeComponent(rawValue).value;
        const kept = maskJwtSignature(jwt);
        if (kept) return `${rawName}=${encodeURIComponent(kept)}`;
      }
      if (isSecretName(name) || (plain && name === 'code_challenge'))
        return `${rawName}=${maskEncoded(rawValue)}`;
      if (rawValue.includes('?')) {
        const parts = rawValue.split('?');
        const after = parts.map((part, i) =>
          i === 0 ? redactRawValue(part, depth) : redactQuery(part, depth + 1),
        );
        const joined = after.join('?');
        if (joined !== rawValue) return `${rawName}=${joined}`;
      }
      const value = decodeComponent(rawValue).value;
      const redacted = isProseName(name) ? redactProse(value) : redactValue(value, depth + 1);
      // `a=1;code=…`: the other separator some servers still read.
      const scanned = redacted === value && value.includes(';') ? redactText(value) : redacted;
      if (scanned === value) return pair;
      // Written back as the sender wrote it: spaces as `+` when it used `+` for them (a form's way).
      const encoded = encodeURIComponent(scanned);
      return `${rawName}=${rawValue.includes('+') ? encoded.replace(/%20/g, '+') : encoded}`;
    })
    .join('&');
}

/**
 * A pair without `=` whose separators are written encoded (`code%3D…`, `a%3D1%26code%3D…`): what it
 * decodes to redacted as a query, written back encoded when that changed it.
 */
function encodedPair(pair: string, depth: number): string {
  if (!/%3D/i.test(pair) || depth > MAX_REDACT_DEPTH) return pair;
  const decoded = decodeComponent(pair).value;
  if (!decoded.includes('=')) return pair;
  const redacted = redactQuery(decoded, depth + 1);
  return redacted === decoded ? pair : encodeURIComponent(redacted);
}

/**
 * True when the pairs carry a PKCE challenge whose method is `plain`, said or by default (RFC 7636
 * §4.3): such a challenge is the code_verifier itself.
 */
function plainPkce(pairs: readonly string[]): boolean {
  let challenge = false;
  let method: string | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (name === 'code_challenge') challenge = true;
    else if (name === 'code_challenge_method' && method === undefined)
      method = decodeComponent(pair.slice(eq + 1)).value;
  }
  return challenge && (method === undefined || method === 'plain');
}

/** A raw (encoded) value redacted as redactValue() reads it, written back encoded only when it changed. */
function redactRawValue(raw: string, depth: number): string {
  const value = decodeComponent(raw).value;
  const redacted = redactValue(value, depth + 1);
  return redacted === value ? raw : encodeURIComponent(redacted);
}

function afterQuestion(name: string): string {
  const at = name.lastIndexOf('?');
  return at === -1 ? name : name.slice(at + 1);
}

/**
 * A decoded parameter value that is not itself secret may still carry secrets: a nested URL, a
 * still-encoded nested URL, an embedded query string, or a JWT.
 */
export function redactValue(value: string, depth: number): string {
  if (depth > MAX_REDACT_DEPTH) return redactText(value);
  if (URL_LIKE.test(value)) return redactUrl(value, depth);
  if (looksEncoded(value)) {
    const inner = decodeComponent(value, false);
    if (!inner.warning && inner.value !== value) {
      const redacted = redactValue(inner.value, depth + 1);
      return redacted === inner.value ? value : encodeURIComponent(redacted);
    }
    // A stray `%` (or a value cut in the middle of an escape) spoils decoding: scan the encoded text.
    if (inner.warning) return redactText(value);
  }
  // JSON written into a parameter or a string (a state object, a logged response): its members, by text.
  if (/^\s*[{[]/.test(value)) return redactText(value);
  if (value.includes('=') && !/\s/.test(value)) return redactQuery(value, depth + 1);
  return redactJwtsIn(value);
}

/** `https://user:password@host/…`: the password of a URL's userinfo. */
function redactUserinfo(path: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/@:?#]*:)([^/@?#]+)(@)/i.exec(path);
  return m ? `${m[1]}${maskEncoded(m[2]!)}${m[3]}${path.slice(m[0].length)}` : path;
}

/** A path segment that names what the next one is: a one-time link's token (`/login/magic/<token>`). */
const ONE_TIME_LINK =
  /^(?:magic(?:[-_]?link)?|token|tokens|reset(?:[-_]?password)?|verify|verification|activate|activation|invite|invitation|confirm|confirmation|otp|passwordless|one[-_]?time)$/i;

/**
 * Sign-in links carry a one-time token in their path (magic links, password resets, invitations): the
 * segment after such a name, when it looks like a credential (16 or more characters, letters and digits).
 */
function redactPathTokens(path: string): string {
  if (!path.includes('/')) return path;
  const segs = path.split('/');
  let changed = false;
  for (let i = 1; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.length < 16 || !ONE_TIME_LINK.test(segs[i - 1]!)) continue;
    const value = decodeComponent(seg).value;
    if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) continue;
    segs[i] = maskEncoded(seg);
    changed = true;
  }
  return changed ? segs.join('/') : path;
}

function redactJwtsIn(text: string): string {
  if (!text.includes('eyJ')) return text;
  const whole = maskJwtSignature(text);
  return whole ?? redactText(text);
}
