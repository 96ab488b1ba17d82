import type { JWK } from 'jose';
import { decodeJwtSafe, verifyJwt } from '../../../utils/smart/jwt';

/**
 * Whether the id_token's signature holds, checked as an app that verifies its id_token would: the key
 * from the server's published JWKS, the issuer its discovery names, the app's client_id as audience.
 */
export type SignatureCheck =
  | {
      outcome: 'verified';
      jwksUri: string;
      kid?: string;
      /** The issuer the token's iss was compared with; undefined when discovery named none. */
      issuer?: string;
    }
  | {
      outcome: 'failed';
      reason: string;
      /**
       * Set when the signature holds and a claim was refused (exp, aud, iss, nbf): jose checks the claims
       * only after the signature. The key that signed it.
       */
      signedWith?: { jwksUri: string; kid?: string };
    }
  | { outcome: 'unchecked'; reason: string };

export interface SignatureDeps {
  /** The FHIR base of the launch; its smart-configuration may name the JWKS. */
  serverUrl: string;
  clientId?: string;
  /** The page's fetch: the reads are the browser's, with its CORS rules, as an app's would be. */
  fetch: typeof fetch;
  nowMs?: number;
  /** The JWKS the launch's discovery document named, when the launch page kept it (no read again). */
  jwksUri?: string;
  /** The issuer the launch's discovery document named, when the launch page kept it. */
  issuer?: string;
}

type Read = { ok: true; json: unknown } | { ok: false; why: string };

async function readJson(url: string, fetchImpl: typeof fetch): Promise<Read> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      why: `GET ${url} failed in the browser ("${message}"): blocked by CORS for this page's origin, or unreachable (the browser does not say which)`,
    };
  }
  if (!res.ok) return { ok: false, why: `GET ${url} answered HTTP ${res.status}` };
  try {
    return { ok: true, json: await res.json() };
  } catch {
    return { ok: false, why: `${url} answered, but not with JSON` };
  }
}

function jwksUriOf(json: unknown, documentUrl: string): string | undefined {
  const v = (json as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof v !== 'string' || !v) return undefined;
  try {
    return new URL(v, documentUrl).href;
  } catch {
    return undefined;
  }
}

/**
 * SMART servers may name the JWKS in their smart-configuration; OpenID Connect names it in the
 * issuer's openid-configuration. The SMART one wins: it belongs to the FHIR server the app launched on.
 */
async function findJwksUri(
  serverUrl: string,
  iss: string | undefined,
  fetchImpl: typeof fetch,
): Promise<{ uri: string; issuer?: string } | { why: string }> {
  const smartUrl = `${serverUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  const smart = await readJson(smartUrl, fetchImpl);
  const fromSmart = smart.ok ? jwksUriOf(smart.json, smartUrl) : undefined;
  if (fromSmart) return { uri: fromSmart, ...issuerOf(smart.ok ? smart.json : undefined) };
  const smartSaid = smart.ok ? `${smartUrl} names no jwks_uri` : smart.why;
  if (!iss) return { why: `${smartSaid}, and the id_token has no iss to find its OpenID configuration.` };
  const oidcUrl = `${iss.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const oidc = await readJson(oidcUrl, fetchImpl);
  if (!oidc.ok) return { why: `${smartSaid}; ${oidc.why}.` };
  const fromOidc = jwksUriOf(oidc.json, oidcUrl);
  return fromOidc
    ? { uri: fromOidc, ...issuerOf(oidc.json) }
    : { why: `${smartSaid}, and ${oidcUrl} names no jwks_uri either.` };
}

/** The `issuer` a discovery document names, as an object to spread. */
function issuerOf(json: unknown): { issuer?: string } {
  const v = (json as { issuer?: unknown } | null | undefined)?.issuer;
  return typeof v === 'string' && v ? { issuer: v } : {};
}

/** jose's error (verifyJwt() gives "CODE: message") in plain words. */
function whyRefused(
  error: string,
  ctx: { jwksUri: string; kid?: string; alg: string; exp?: number; issuer?: string; iss?: string },
): string {
  const [, code = '', message = error] = /^(ERR_[A-Z_]+): ([\s\S]*)$/.exec(error) ?? [];
  const key = ctx.kid ? `the key "${ctx.kid}"` : 'the key';
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return `signature invalid: ${key} published at ${ctx.jwksUri} did not sign this token (it was changed after signing, or signed with another key).`;
    case 'ERR_JWT_EXPIRED':
      return `expired: its exp${ctx.exp !== undefined ? ` (${new Date(ctx.exp * 1000).toISOString()})` : ''} has passed.`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return `no key in ${ctx.jwksUri} fits this token (kid ${ctx.kid ?? 'not given'}, alg ${ctx.alg}).`;
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `the algorithm ${ctx.alg} cannot be checked here (${message}).`;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = /"(\w+)" claim/.exec(message)?.[1];
      if (claim === 'aud') return "audience mismatch: aud does not name this app's client_id.";
      if (claim === 'iss')
        return `issuer mismatch: the token's iss${ctx.iss ? ` (${ctx.iss})` : ''} is not the issuer the server's discovery names${ctx.issuer ? ` (${ctx.issuer})` : ''}, so an OpenID Connect library refuses it.`;
      if (claim === 'nbf') return 'not valid yet: its nbf is in the future (check the server clock).';
      return `a claim did not check out (${message}).`;
    }
    default:
      return `it could not be verified (${message}).`;
  }
}

/**
 * Verify the id_token's signature against the key the server publishes. Never throws: every outcome,
 * including a server that could not be read, is a value the page can say in words.
 */
export async function checkIdTokenSignature(idToken: string, deps: SignatureDeps): Promise<SignatureCheck> {
  const decoded = decodeJwtSafe(idToken, deps.nowMs);
  if (!decoded.ok)
    return { outcome: 'unchecked', reason: `the id_token cannot be decoded (${decoded.error}).` };
  const { header, claims } = decoded.jwt;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!alg)
    return { outcome: 'failed', reason: 'the header names no alg, so no library can tell how to check it.' };
  // Decided from the header alone: no key the server publishes can make these acceptable.
  if (alg.toLowerCase() === 'none')
    return {
      outcome: 'failed',
      reason:
        'not signed (alg "none"): anyone could have written it, and an OpenID Connect library refuses an unsigned id_token.',
    };
  if (/^HS/i.test(alg))
    return {
      outcome: 'failed',
      reason: `signed with a shared secret (${alg}): checking it takes the same secret, which a public app does not have, so no app can verify it. SMART and OpenID Connect servers sign id_tokens with a private key (RS256) and publish the public key in their JWKS.`,
    };
  const iss = typeof claims.iss === 'string' && claims.iss ? claims.iss : undefined;
  const found = deps.jwksUri
    ? { uri: deps.jwksUri, ...(deps.issuer ? { issuer: deps.issuer } : {}) }
    : await findJwksUri(deps.serverUrl, iss, deps.fetch);
  if ('why' in found) return { outcome: 'unchecked', reason: found.why };
  const jwksUri = found.uri;
  // The iss must be exactly the issuer discovery names (OpenID Connect Core §3.1.3.7); a token compared
  // with its own iss proves nothing. Without a named issuer, only its presence is checked.
  const expectedIssuer = deps.issuer ?? found.issuer;
  const jwks = await readJson(jwksUri, deps.fetch);
  if (!jwks.ok) return { outcome: 'unchecked', reason: `${jwks.why}.` };
  const keys = (jwks.json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    return { outcome: 'unchecked', reason: `${jwksUri} answered, but is not a JWKS (no keys list).` };
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  // Said before jose's own "no matching key", which does not tell a missing kid from a wrong alg.
  if (kid !== undefined && !keys.some((k) => (k as { kid?: unknown } | null)?.kid === kid))
    return {
      outcome: 'failed',
      reason: `no key with kid "${kid}" in ${jwksUri}: the server signed with a key it does not publish there.`,
    };
  const opts = {
    ...(expectedIssuer ? { issuer: expectedIssuer } : iss ? { issuer: iss } : {}),
    ...(deps.clientId ? { audience: deps.clientId } : {}),
    ...(deps.nowMs !== undefined ? { nowMs: deps.nowMs } : {}),
  };
  let result = await verifyJwt(idToken, { keys: keys as JWK[] }, opts);
  let signedBy = kid;
  // jose does not pick among several keys that fit (a token without kid, a JWKS with kid-less keys);
  // an app's library tries each, so each is tried on its own here too.
  if (!result.ok && result.error.startsWith('ERR_JWKS_MULTIPLE_MATCHING_KEYS')) {
    const fitting =
      kid === undefined ? keys : keys.filter((k) => (k as { kid?: unknown } | null)?.kid === kid);
    const tries = [];
    for (const key of fitting)
      tries.push({ key, result: await verifyJwt(idToken, { keys: [key as JWK] }, opts) });
    const good = tries.find((t) => t.result.ok);
    const telling = tries.find(
      (t) =>
        !t.result.ok && !/^ERR_(JWKS_NO_MATCHING_KEY|JWS_SIGNATURE_VERIFICATION_FAILED)/.test(t.result.error),
    );
    const chosen = good ?? telling ?? tries[0];
    if (chosen) {
      result = chosen.result;
      const chosenKid = (chosen.key as { kid?: unknown } | null)?.kid;
      signedBy = typeof chosenKid === 'string' ? chosenKid : kid;
    }
  }
  // jose checks iss only when asked to; OpenID Connect requires it, so a token without one is refused.
  if (result.ok && !iss)
    return {
      outcome: 'failed',
      reason: `the signature holds (key from ${jwksUri}), but the token has no iss claim, which an OpenID Connect library requires.`,
    };
  if (result.ok)
    return {
      outcome: 'verified',
      jwksUri,
      ...(signedBy !== undefined ? { kid: signedBy } : {}),
      ...(expectedIssuer ? { issuer: expectedIssuer } : {}),
    };
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const claimRefused = /^ERR_JWT_(EXPIRED|CLAIM_VALIDATION_FAILED)\b/.test(result.error);
  return {
    outcome: 'failed',
    ...(claimRefused
      ? { signedWith: { jwksUri, ...(signedBy !== undefined ? { kid: signedBy } : {}) } }
      : {}),
    reason: whyRefused(result.error, {
      jwksUri,
      alg,
      ...(kid !== undefined ? { kid } : {}),
      ...(exp !== undefined ? { exp } : {}),
      ...(expectedIssuer ? { issuer: expectedIssuer } : {}),
      ...(iss ? { iss } : {}),
    }),
  };
}
