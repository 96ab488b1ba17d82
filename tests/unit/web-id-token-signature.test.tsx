// @vitest-environment jsdom
/**
 * The companion checks the id_token's signature as an app that verifies it would: the key from the JWKS
 * the server publishes (smart-configuration's jwks_uri first, else the issuer's openid-configuration),
 * the token's iss, the client_id as audience. Keys and tokens are real (jose); the server is a fake fetch.
 */

import { cleanup, render, screen, within } from '@testing-library/react';
import FHIR from 'fhirclient';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkIdTokenSignature } from '../../web/src/lib/id-token-signature';
import { rememberedIssuer, rememberedJwksUri, watchTokenResponses } from '../../web/src/lib/token-watch';
import { AuthPage } from '../../web/src/pages/AuthPage';

const BASE = 'https://fhir.foreign.test/r4';
const ISS = 'https://auth.foreign.test/oidc';
const SMART_CONFIG = `${BASE}/.well-known/smart-configuration`;
const OIDC_CONFIG = `${ISS}/.well-known/openid-configuration`;
const JWKS = 'https://auth.foreign.test/jwks';
const CLIENT = 'foreign-app';

type Answer = unknown | number | 'cors' | 'pending';

/** A server answering from a table of URLs: JSON, an HTTP status, a CORS refusal, or never. */
function server(routes: Record<string, Answer>) {
  const asked: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = String(input);
    asked.push(url);
    const answer = routes[url];
    if (answer === undefined || answer === 'cors') throw new TypeError('Failed to fetch');
    if (answer === 'pending') return new Promise<Response>(() => {});
    if (typeof answer === 'number') return new Response('{}', { status: answer });
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  return { fetch: fetchImpl, asked };
}

let signingKey: CryptoKey;
let publicJwk: JWK;
let otherPublicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const other = await generateKeyPair('RS256');
  otherPublicJwk = { ...(await exportJWK(other.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});
afterEach(cleanup);

function idToken(opts: { kid?: string | null; aud?: string; exp?: string | number; secret?: JWK } = {}) {
  const alg = opts.secret ? 'HS256' : 'RS256';
  return new SignJWT({ fhirUser: `${BASE}/Practitioner/1` })
    .setProtectedHeader(opts.kid === null ? { alg } : { alg, kid: opts.kid ?? 'k1' })
    .setIssuer(ISS)
    .setSubject('user-1')
    .setAudience(opts.aud ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(opts.secret ?? signingKey);
}

const unsigned = () =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ iss: ISS, aud: CLIENT, sub: 'user-1' }),
  ).toString('base64url')}.`;

const check = (token: string, fetchImpl: typeof fetch, nowMs?: number) =>
  checkIdTokenSignature(token, {
    serverUrl: BASE,
    clientId: CLIENT,
    fetch: fetchImpl,
    ...(nowMs ? { nowMs } : {}),
  });

/** The launch page's watch over a smart-configuration read answering `config`; what it kept. */
async function readOnLaunchPage(config: object) {
  const target = { fetch: server({ [SMART_CONFIG]: config }).fetch };
  const storage = new Map<string, string>();
  const store = {
    setItem: (k: string, v: string) => void storage.set(k, v),
    getItem: (k: string) => storage.get(k) ?? null,
  };
  const watch = watchTokenResponses(target, store);
  await target.fetch(SMART_CONFIG);
  await new Promise((resolve) => setTimeout(resolve, 10));
  watch.stop();
  return store;
}

describe('id_token signature check', () => {
  it('verified: the key named by kid in the JWKS of the smart-configuration', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    expect(await check(await idToken(), s.fetch)).toEqual({ outcome: 'verified', kid: 'k1', jwksUri: JWKS });
  });

  it("smart-configuration's jwks_uri is preferred over the issuer's openid-configuration", async () => {
    const s = server({
      [SMART_CONFIG]: { jwks_uri: JWKS },
      [OIDC_CONFIG]: { jwks_uri: 'https://auth.foreign.test/other-jwks' },
      [JWKS]: { keys: [publicJwk] },
      'https://auth.foreign.test/other-jwks': { keys: [otherPublicJwk] },
    });
    expect(await check(await idToken(), s.fetch)).toMatchObject({ outcome: 'verified', jwksUri: JWKS });
    expect(s.asked).toEqual([SMART_CONFIG, JWKS]);
  });

  it('the jwks_uri the launch page kept from discovery: only the JWKS is read, no discovery again', async () => {
    const s = server({
      [SMART_CONFIG]: { jwks_uri: 'https://wrong.test/jwks' },
      [JWKS]: { keys: [publicJwk] },
    });
    const token = await idToken();
    const result = await checkIdTokenSignature(token, {
      serverUrl: BASE,
      clientId: CLIENT,
      fetch: s.fetch,
      jwksUri: JWKS,
    });
    expect(result).toEqual({ outcome: 'verified', kid: 'k1', jwksUri: JWKS });
    expect(s.asked).toEqual([JWKS]);
  });

  it('the launch page keeps the jwks_uri of the discovery document fhirclient reads', async () => {
    const store = await readOnLaunchPage({
      authorization_endpoint: 'https://a.test/authorize',
      jwks_uri: JWKS,
    });
    expect(rememberedJwksUri(store, BASE)).toBe(JWKS);
    expect(rememberedJwksUri(store, `${BASE}/`)).toBe(JWKS);
    expect(rememberedJwksUri(store, 'https://other.test/fhir')).toBeUndefined();
  });

  it('the iss is compared with the issuer discovery names, not with itself', async () => {
    const s = server({ [SMART_CONFIG]: { issuer: ISS, jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    expect(await check(await idToken(), s.fetch)).toEqual({
      outcome: 'verified',
      kid: 'k1',
      jwksUri: JWKS,
      issuer: ISS,
    });
    // Signed with the server's own key, but naming another issuer: refused, as OpenID Connect requires.
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://evil.example.org/fhir')
      .setAudience(CLIENT)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);
    const refused = await check(forged, s.fetch);
    expect(refused).toMatchObject({ outcome: 'failed' });
    expect((refused as { reason: string }).reason).toBe(
      `issuer mismatch: the token's iss (https://evil.example.org/fhir) is not the issuer the server's discovery names (${ISS}), so an OpenID Connect library refuses it.`,
    );
    // The issuer the launch page kept from discovery is used without reading it again.
    const kept = await checkIdTokenSignature(forged, {
      serverUrl: BASE,
      clientId: CLIENT,
      fetch: server({ [JWKS]: { keys: [publicJwk] } }).fetch,
      jwksUri: JWKS,
      issuer: ISS,
    });
    expect(kept).toMatchObject({ outcome: 'failed' });
  });

  it('the launch page keeps the issuer of the discovery document too', async () => {
    const store = await readOnLaunchPage({ issuer: ISS, jwks_uri: JWKS });
    expect(rememberedIssuer(store, BASE)).toBe(ISS);
    expect(rememberedIssuer(store, 'https://other.test/fhir')).toBeUndefined();
  });

  it("without a jwks_uri in smart-configuration: the issuer's openid-configuration", async () => {
    const s = server({
      [SMART_CONFIG]: { authorization_endpoint: 'https://auth.foreign.test/authorize' },
      [OIDC_CONFIG]: { issuer: ISS, jwks_uri: JWKS },
      [JWKS]: { keys: [publicJwk] },
    });
    expect(await check(await idToken(), s.fetch)).toMatchObject({ outcome: 'verified', jwksUri: JWKS });
    expect(s.asked).toEqual([SMART_CONFIG, OIDC_CONFIG, JWKS]);
  });

  it('a token without kid and a JWKS of several keys: each key is tried, as OpenID libraries do', async () => {
    const s = server({
      [SMART_CONFIG]: { jwks_uri: JWKS },
      [JWKS]: {
        keys: [
          { ...otherPublicJwk, kid: 'old' },
          { ...publicJwk, kid: 'new' },
        ],
      },
    });
    expect(await check(await idToken({ kid: null }), s.fetch)).toEqual({
      outcome: 'verified',
      kid: 'new',
      jwksUri: JWKS,
    });
    const wrong = server({
      [SMART_CONFIG]: { jwks_uri: JWKS },
      [JWKS]: {
        keys: [
          { ...otherPublicJwk, kid: 'old' },
          { ...otherPublicJwk, kid: 'older' },
        ],
      },
    });
    const refused = await check(await idToken({ kid: null }), wrong.fetch);
    expect(refused.outcome === 'failed' && refused.reason).toMatch(/^signature invalid/);
  });

  it('a kid the JWKS does not hold: failed, naming the kid and the JWKS', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    expect(await check(await idToken({ kid: 'rotated-2' }), s.fetch)).toEqual({
      outcome: 'failed',
      reason: `no key with kid "rotated-2" in ${JWKS}: the server signed with a key it does not publish there.`,
    });
  });

  it('alg none: not signed, refused without reading anything', async () => {
    const s = server({});
    const result = await check(unsigned(), s.fetch);
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/^not signed \(alg "none"\)/);
    expect(result.outcome === 'failed' && result.reason).toContain('an OpenID Connect library refuses');
    expect(s.asked).toEqual([]);
  });

  it('HS256: a shared secret a public app cannot check; servers sign with RS256 and publish the key', async () => {
    const s = server({});
    const token = await idToken({
      // As a JWK: jsdom's TextEncoder makes a Uint8Array of another realm than jose checks against.
      secret: { kty: 'oct', k: Buffer.from('a-secret-of-at-least-32-bytes-long!!').toString('base64url') },
    });
    const result = await check(token, s.fetch);
    expect(result.outcome).toBe('failed');
    const reason = result.outcome === 'failed' ? result.reason : '';
    expect(reason).toMatch(/^signed with a shared secret \(HS256\)/);
    expect(reason).toContain('a public app does not have');
    expect(reason).toContain('RS256');
    expect(s.asked).toEqual([]);
  });

  it('a JWKS that answers 404: not checked, naming the URL and the status', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: 404 });
    expect(await check(await idToken(), s.fetch)).toEqual({
      outcome: 'unchecked',
      reason: `GET ${JWKS} answered HTTP 404.`,
    });
  });

  it('discovery blocked by CORS: not checked, naming both reads', async () => {
    const s = server({ [SMART_CONFIG]: 'cors', [OIDC_CONFIG]: 'cors' });
    const result = await check(await idToken(), s.fetch);
    expect(result.outcome).toBe('unchecked');
    const reason = result.outcome === 'unchecked' ? result.reason : '';
    expect(reason).toContain(
      `GET ${SMART_CONFIG} failed in the browser ("Failed to fetch"): blocked by CORS`,
    );
    expect(reason).toContain(`GET ${OIDC_CONFIG} failed in the browser`);
  });

  it('another key under the same kid: signature invalid', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [otherPublicJwk] } });
    const result = await check(await idToken(), s.fetch);
    expect(result.outcome === 'failed' && result.reason).toMatch(
      /^signature invalid: the key "k1" published at/,
    );
  });

  it('an audience that is not the client_id, and an expired token', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    expect(await check(await idToken({ aud: 'someone-else' }), s.fetch)).toEqual({
      outcome: 'failed',
      reason: "audience mismatch: aud does not name this app's client_id.",
      signedWith: { jwksUri: JWKS, kid: 'k1' },
    });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const late = await check(await idToken({ exp }), s.fetch, Date.now() + 3_600_000);
    expect(late).toEqual({
      outcome: 'failed',
      reason: `expired: its exp (${new Date(exp * 1000).toISOString()}) has passed.`,
      signedWith: { jwksUri: JWKS, kid: 'k1' },
    });
  });
});

describe('the results page', () => {
  const renderWith = (token: string, fetchImpl: typeof fetch) => {
    const client = FHIR.client({
      serverUrl: BASE,
      clientId: CLIENT,
      scope: 'launch openid fhirUser',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
      tokenResponse: {
        access_token: 'at',
        token_type: 'bearer',
        scope: 'launch openid fhirUser',
        id_token: token,
      },
    });
    render(
      <AuthPage
        ready={async () => client}
        authorize={async () => undefined}
        launcherUrl="/launch/"
        url={new URL('http://127.0.0.1:4000/launch/auth')}
        session={sessionStorage}
        local={localStorage}
        fetch={fetchImpl}
      />,
    );
    return screen.findByRole('region', { name: 'id_token claims' });
  };

  it('says the outcome in words in the claims card, in place of "Decoded, not verified."', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    const card = await renderWith(await idToken(), s.fetch);
    expect(await within(card).findByText(/^Signature verified with key "k1"/)).toBeTruthy();
    expect(card.textContent).toContain(JWKS);
    expect(card.textContent).toContain('user-1');
    expect(card.textContent).not.toContain('Decoded, not verified.');
  });

  it('a signature that holds on a token whose claims are refused: refused, not "signature check failed"', async () => {
    const s = server({ [SMART_CONFIG]: { jwks_uri: JWKS }, [JWKS]: { keys: [publicJwk] } });
    const card = await renderWith(await idToken({ aud: 'someone-else' }), s.fetch);
    const refused = await within(card).findByText(/^id_token refused: audience mismatch/);
    expect(refused.textContent).toContain(`Its signature holds (key "k1" from ${JWKS}); the claims do not`);
    expect(refused.getAttribute('data-signature')).toBe('failed');
    expect(card.textContent).not.toContain('Signature check failed');
  });

  it('a failed check is said as such, and the page does not wait for the reads', async () => {
    const card = await renderWith(
      await idToken({ kid: 'k9' }),
      server({
        [SMART_CONFIG]: { jwks_uri: JWKS },
        [JWKS]: { keys: [publicJwk] },
      }).fetch,
    );
    const failed = await within(card).findByText(/^Signature check failed: no key with kid "k9"/);
    expect(failed.getAttribute('data-signature')).toBe('failed');
    cleanup();
    // Discovery never answers: the rest of the page is there, the card says it is still checking.
    const pending = await renderWith(await idToken(), server({ [SMART_CONFIG]: 'pending' }).fetch);
    expect(screen.getByText(/^Launch complete/)).toBeTruthy();
    expect(
      within(pending)
        .getByText(/^Checking the signature/)
        .getAttribute('aria-busy'),
    ).toBe('true');
  });
});
