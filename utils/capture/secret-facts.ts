import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { SecretFacts } from '../model';
import { isMasked } from '../redact/mask';
import { decodeJwtSafe } from '../smart/jwt';
import { findParamDeep, lazyDecodeUrl } from '../url/decode';
import { parseQuery } from '../url/query';
import type { CaptureEvent } from './events';

/**
 * Facts about secrets, computed at capture before redaction masks them: a keyed fingerprint of the
 * authorization code (so a callback and its token request can be paired without keeping the code, and
 * without the collisions of a masked prefix) and the S256 challenge of a token request's verifier
 * (compared with the public `code_challenge`). Neither reveals the secret: the fingerprint needs the
 * per-install key, the challenge is already public when the pair is right.
 */

/** Bytes of the per-install fingerprint key. */
export const SECRET_KEY_BYTES = 32;

/** Where the extension keeps its per-install key (base64url), shared by the background and the DevTools page. */
export const SECRET_KEY_STORAGE = 'local:capture.fingerprint-key';

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** A fresh random key, base64url (as stored). */
export function newSecretKey(): string {
  return base64url(randomBytes(SECRET_KEY_BYTES));
}

/** The stored key as bytes; undefined for a missing or malformed value (no fingerprints then). */
export function secretKeyBytes(stored: unknown): Uint8Array | undefined {
  if (typeof stored !== 'string' || !/^[\w-]{43}$/.test(stored)) return undefined;
  return fromBase64url(stored);
}

/**
 * Recent fingerprints per key: one code is seen three or four times (the callback request, its navigation
 * events, the token form), and each HMAC costs more than the rest of its event's handling. Bounded, and
 * in the worker's memory only, where the code itself passes anyway.
 */
const recentFingerprints = new WeakMap<Uint8Array, Map<string, string>>();
const RECENT_FINGERPRINTS = 64;

export function codeFingerprint(code: string, key: Uint8Array): string {
  let recent = recentFingerprints.get(key);
  if (!recent) {
    recent = new Map();
    recentFingerprints.set(key, recent);
  }
  const known = recent.get(code);
  if (known !== undefined) return known;
  const fingerprint = base64url(hmac(sha256, key, utf8ToBytes(code)));
  if (recent.size >= RECENT_FINGERPRINTS) recent.delete(recent.keys().next().value!);
  recent.set(code, fingerprint);
  return fingerprint;
}

/**
 * Facts of an exchange's access token, for a HAR whose requests and responses are kept whole: the
 * `access_token` of a token response's JSON body, or the bearer token a request sent. The recorder
 * tells launches apart by tab; a HAR has no tabs, and a proxy's HAR holds several launches side by
 * side, whose FHIR calls only their token tells apart.
 */
export function tokenSecretFacts(
  authorization: string | undefined,
  responseText: string | undefined,
  key: Uint8Array | undefined,
): SecretFacts | undefined {
  const oddity = authorization ? bearerOddity(authorization) : undefined;
  if (oddity) return { bearerOddity: oddity };
  if (!key) return undefined;
  const bearer = authorization ? /^\s*bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  const token = bearer ?? issuedToken(responseText);
  if (!token || isMasked(token)) return undefined;
  const out: SecretFacts = { tokenFingerprint: codeFingerprint(token, key) };
  if (bearer) Object.assign(out, lifetimeOf(bearer));
  const idToken = bearer ? undefined : issuedToken(responseText, 'id_token');
  if (idToken && !isMasked(idToken)) out.idTokenFingerprint = codeFingerprint(idToken, key);
  return out;
}

/** Longer `scope` claims are not kept (a token's scopes are a few hundred characters). */
const MAX_SCOPE_CLAIM = 4000;

/**
 * `iat` and `exp` of a JWT access token, when it is one and has both (as whole seconds), and the scopes
 * it carries (`scope`, a space-separated string, or `scp`, a list, as Entra ID writes it): what the
 * server granted, for a file without the token response.
 */
function lifetimeOf(token: string): Pick<SecretFacts, 'bearerIat' | 'bearerExp' | 'bearerScope'> {
  const jwt = decodeJwtSafe(token);
  if (!jwt.ok) return {};
  const { iat, exp, scope, scp } = jwt.jwt.claims as Record<string, unknown>;
  const out: Pick<SecretFacts, 'bearerIat' | 'bearerExp' | 'bearerScope'> = {};
  if (typeof iat === 'number' && typeof exp === 'number' && exp > iat) {
    out.bearerIat = Math.floor(iat);
    out.bearerExp = Math.floor(exp);
  }
  const scopes =
    typeof scope === 'string'
      ? scope
      : Array.isArray(scp) && scp.every((x) => typeof x === 'string')
        ? scp.join(' ')
        : typeof scp === 'string'
          ? scp
          : undefined;
  if (scopes !== undefined && scopes.length <= MAX_SCOPE_CLAIM) out.bearerScope = scopes.trim();
  return out;
}

/** Values an app sends as its bearer token when it has none in hand (a variable not set yet). */
const NO_TOKEN = /^(?:undefined|null|\[object object\]|NaN|false)$/i;

/** `Authorization: Bearer undefined` (or null, [object Object], nothing): what was sent instead of a token. */
function bearerOddity(authorization: string): string | undefined {
  const m = /^\s*bearer(?:\s+(.*?))?\s*$/i.exec(authorization);
  if (!m) return undefined;
  const sent = m[1] ?? '';
  if (sent === '') return '(empty)';
  return NO_TOKEN.test(sent) ? sent : undefined;
}

/** Token responses are a few KB; a larger body is something else, and not parsed for this. */
const MAX_TOKEN_BODY = 256 * 1024;

/** The `access_token` (or `field`) of a token response's JSON body; undefined for anything else. */
function issuedToken(text: string | undefined, field = 'access_token'): string | undefined {
  if (!text || text.length > MAX_TOKEN_BODY || !text.includes(field)) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    const token = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
    return typeof token === 'string' && token ? token : undefined;
  } catch {
    return undefined;
  }
}

/** BASE64URL(SHA-256(verifier)), the S256 `code_challenge` of this verifier (RFC 7636 §4.2). */
export function verifierChallenge(verifier: string): string {
  return base64url(sha256(utf8ToBytes(verifier)));
}

function facts(code: string | undefined, verifier: string | undefined, key?: Uint8Array) {
  const out: SecretFacts = {};
  // An already masked value (a stored record handled again) is not the secret: no fact from it.
  if (code && key && !isMasked(code)) out.codeFingerprint = codeFingerprint(code, key);
  if (verifier && !isMasked(verifier)) {
    out.verifierChallenge = verifierChallenge(verifier);
    const bad = [...new Set(verifier.replace(/[A-Za-z0-9._~-]/g, ''))].join('');
    if (bad) out.verifierBadCharacters = bad.slice(0, 20);
    if (verifier.includes(' ')) out.verifierPlusChallenge = verifierChallenge(verifier.replace(/ /g, '+'));
  }
  return out.codeFingerprint || out.verifierChallenge ? out : undefined;
}

/**
 * Facts of a URL that carries an authorization `code` (the app's callback) in its query, or in its
 * fragment (`response_mode=fragment`, seen by webNavigation); undefined otherwise.
 */
export function urlSecretFacts(url: string, key: Uint8Array | undefined): SecretFacts | undefined {
  const plain = plainChallengeFact(url);
  if (plain) return { plainChallenge: plain };
  const q = url.indexOf('?');
  if (!key) return undefined;
  const fragment = fragmentCode(url);
  if (fragment) return facts(fragment, undefined, key);
  // The implicit flow's callback carries the access token itself (`#access_token=…&state=…`).
  const token = fragmentToken(url);
  if (token) return { tokenFingerprint: codeFingerprint(token, key) };
  if (q === -1 || !/[?&]code=/.test(url)) return undefined;
  const hash = url.indexOf('#', q);
  const { params } = parseQuery(url.slice(q + 1, hash === -1 ? undefined : hash));
  return facts(params.find((p) => p.name === 'code')?.value, undefined, key);
}

/**
 * BASE64URL(SHA-256(code_challenge)) of an authorize URL (or one nested in its `to=`) whose PKCE is
 * `plain` (no code_challenge_method, or `plain`): its challenge is the verifier itself, masked like one,
 * and this is what the verifierChallenge of the right verifier equals. Undefined for S256 and the rest.
 */
function plainChallengeFact(url: string): string | undefined {
  if (!url.includes('code_challenge')) return undefined;
  const decoded = lazyDecodeUrl(url);
  const found = findParamDeep(decoded, 'code_challenge');
  const challenge = found?.param.value;
  if (!found || !challenge || isMasked(challenge)) return undefined;
  const method = findParamDeep(decoded, 'code_challenge_method');
  const same = method && method.path.join('\n') === found.path.join('\n');
  return !same || method.param.value === 'plain' ? verifierChallenge(challenge) : undefined;
}

/** The `access_token` of a fragment `#access_token=…&state=…`, unless it is masked already. */
function fragmentToken(url: string): string | undefined {
  const hash = url.indexOf('#');
  if (hash === -1 || !/[#&]access_token=/.test(url.slice(hash))) return undefined;
  const token = parseQuery(url.slice(hash + 1)).params.find((p) => p.name === 'access_token')?.value;
  return token && !isMasked(token) ? token : undefined;
}

/** The `code` of a fragment `#code=…&state=…` when the query has none. */
function fragmentCode(url: string): string | undefined {
  const hash = url.indexOf('#');
  if (hash === -1 || !/[#&]code=/.test(url.slice(hash))) return undefined;
  if (/[?&]code=/.test(url.slice(0, hash))) return undefined;
  return parseQuery(url.slice(hash + 1)).params.find((p) => p.name === 'code')?.value;
}

/** Facts of a urlencoded form (a token request's `code` and `code_verifier`); undefined when it has none. */
export function formSecretFacts(
  form: Record<string, string[]> | undefined,
  key: Uint8Array | undefined,
): SecretFacts | undefined {
  if (!form) return undefined;
  const found = facts(form.code?.[0], form.code_verifier?.[0], key);
  // A client authenticating with a signed JWT (private_key_jwt: SMART Backend Services, confidential
  // apps) names itself in the assertion's `iss` (= `sub` = client_id): who, not a secret.
  const assertion = form.client_assertion?.[0];
  const claims = assertion && !isMasked(assertion) ? decodeJwtSafe(assertion) : undefined;
  if (!claims?.ok) return found;
  const { iss, sub, exp } = claims.jwt.claims;
  const client = iss ?? sub;
  const out: SecretFacts = { ...found };
  if (typeof client === 'string' && client && client.length <= 200) out.assertionClient = client;
  if (typeof exp === 'number' && Number.isFinite(exp)) out.assertionExp = Math.floor(exp);
  return Object.keys(out).length ? out : undefined;
}

/** Both sets of facts in one; either alone when the other is missing. */
export function mergeSecretFacts(
  a: SecretFacts | undefined,
  b: SecretFacts | undefined,
): SecretFacts | undefined {
  return a && b ? { ...a, ...b } : (a ?? b);
}

/**
 * The event with the facts of the secrets it carries, computed now, before redaction (redactEvent keeps
 * them). Callback URLs (webRequest or webNavigation) and token forms; DevTools bodies arrive with theirs.
 */
export function withSecretFacts(event: CaptureEvent, key: Uint8Array | undefined): CaptureEvent {
  switch (event.kind) {
    case 'request': {
      const found = mergeSecretFacts(urlSecretFacts(event.url, key), formSecretFacts(event.form, key));
      return found ? { ...event, secretFacts: found } : event;
    }
    case 'nav-before':
    case 'nav-committed':
    case 'nav-error': {
      const found = urlSecretFacts(event.url, key);
      return found ? { ...event, secretFacts: found } : event;
    }
    default:
      return event;
  }
}
