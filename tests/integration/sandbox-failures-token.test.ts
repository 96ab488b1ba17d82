/**
 * §7 failure classes at the token endpoint (code reuse and expiry, PKCE, CORS), driven as the probe app
 * runs them in a browser, with Oracle's wire shape and the rule analyze() names first for the recorded
 * launch; plus a clean launch as control.
 */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { Browser } from './sandbox-browser';
import {
  ehrLaunch,
  fhirGet,
  firstFinding,
  lastExchange,
  launchHolding,
  redeemIn,
} from './sandbox-browser-flow';
import { EHR, exchange, PATIENT, PROBE_REDIRECT, pkcePair, urnOf } from './sandbox-flow';

let clock = Date.now();
const sandbox = sandboxForFile('sandbox-fail-token', { quirk: 'none', now: () => clock });
const TOKEN_URN = 'urn:cerner:error:authorization-server:oauth2:token:';
const browser = () => new Browser(sandbox, () => clock);

function expectTokenError(reply: { status: number; headers: Record<string, unknown>; json: () => unknown }) {
  expect(reply.status).toBe(400);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  expect(reply.headers['cache-control']).toBe('no-store');
  expect(reply.headers.pragma).toBe('no-cache');
  expect(reply.headers['access-control-allow-origin']).toBe('*');
  expect(reply.headers['cerner-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  const body = reply.json() as Record<string, string>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_uri']);
  return { error: body.error, urn: urnOf(body.error_uri) };
}

describe('control: a clean launch', () => {
  it('is analyzed as succeeded with no error finding; secrets are masked and their facts line up', async () => {
    const b = browser();
    const launched = await ehrLaunch(b);
    const token = (await redeemIn(b, launched)).reply.json<{ access_token: string; refresh_token: string }>();
    expect((await fhirGet(b, `${EHR}/Patient/${PATIENT}`, token.access_token)).reply.status).toBe(200);
    const recorded = JSON.stringify(b.exchanges);
    for (const secret of [launched.callback?.searchParams.get('code'), launched.verifier, token.access_token])
      expect(recorded).not.toContain(secret);
    const tokenStep = b.exchanges.find((e) => e.form?.grant_type);
    const callback = b.exchanges.find((e) => e.source === 'webNavigation' && e.url.includes('code='));
    expect(tokenStep?.secretFacts?.verifierChallenge).toBe(launched.challenge);
    expect(tokenStep?.secretFacts?.codeFingerprint).toBeDefined();
    expect(tokenStep?.secretFacts?.codeFingerprint).toBe(callback?.secretFacts?.codeFingerprint);
    const launch = launchHolding(b.exchanges, lastExchange(b));
    expect(launch.status).toBe('succeeded');
    expect(launch.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('token endpoint', () => {
  it('code reused: the second POST of the same code → invalid_grant + code-invalid-or-expired', async () => {
    const b = browser();
    const launched = await ehrLaunch(b);
    expect((await redeemIn(b, launched)).reply.status).toBe(200);
    const second = await redeemIn(b, launched);
    expect(expectTokenError(second.reply)).toEqual({
      error: 'invalid_grant',
      urn: `${TOKEN_URN}code-invalid-or-expired`,
    });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('code-reuse');
  });

  it('code expired: redeemed after 120 s → invalid_grant + code-invalid-or-expired', async () => {
    const b = browser();
    const launched = await ehrLaunch(b);
    clock += 121_000;
    const reply = (await redeemIn(b, launched)).reply;
    expect(expectTokenError(reply)).toEqual({
      error: 'invalid_grant',
      urn: `${TOKEN_URN}code-invalid-or-expired`,
    });
    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe('code-reuse');
    expect(finding?.severity).toBe('error');
  });

  it('PKCE missing: no code_challenge although S256 is advertised; the sandbox lets it through', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, { authorize: { challenge: '' } });
    const authorize = b.exchanges.find((e) => e.url.includes('/authorize?'));
    expect(authorize?.url).not.toContain('code_challenge');
    expect((await redeemIn(b, launched, { extra: { code_verifier: '' } })).reply.status).toBe(200);
    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe('pkce');
    expect(finding?.severity).toBe('warning');
  });

  it('PKCE verifier mismatch → invalid_grant + the published code:invalid (Oracle has no PKCE URN)', async () => {
    const b = browser();
    const launched = await ehrLaunch(b);
    const reply = (await redeemIn(b, launched, { extra: { code_verifier: pkcePair().verifier } })).reply;
    expect(expectTokenError(reply)).toEqual({ error: 'invalid_grant', urn: `${TOKEN_URN}code:invalid` });
    const tokenStep = lastExchange(b);
    expect(tokenStep?.secretFacts?.verifierChallenge).not.toBe(launched.challenge);
    expect(firstFinding(b.exchanges, tokenStep)?.ruleId).toBe('pkce');
  });

  it('PKCE verifier missing → invalid_grant + code:invalid', async () => {
    const b = browser();
    const launched = await ehrLaunch(b);
    const reply = (await redeemIn(b, launched, { extra: { code_verifier: '' } })).reply;
    expect(expectTokenError(reply)).toEqual({ error: 'invalid_grant', urn: `${TOKEN_URN}code:invalid` });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('pkce');
  });

  it('CORS: a token POST with credentials is answered (ACAO *), but the browser refuses the answer', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, { appId: 'sandbox-cors-credentials' });
    const { reply, blocked } = await redeemIn(b, launched, { credentials: 'include' });
    // The server did its part: 200, Access-Control-Allow-Origin: *, no Allow-Credentials.
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
    // What the page and the recorder see: no status, net::ERR_FAILED.
    expect(blocked).toBe(true);
    const step = lastExchange(b);
    expect(step).toMatchObject({ phase: 'failed', error: 'net::ERR_FAILED', type: 'fetch' });
    expect(step?.status).toBeUndefined();
    // The code was spent by the request the page never saw: a retry without credentials fails.
    const retry = await exchange(sandbox(), {
      grant_type: 'authorization_code',
      code: launched.callback?.searchParams.get('code') ?? '',
      redirect_uri: PROBE_REDIRECT,
      code_verifier: launched.verifier,
      client_id: launched.clientId,
    });
    expect(retry.json()).toMatchObject({ error: 'invalid_grant' });
    expect(firstFinding(b.exchanges, step)?.ruleId).toBe('cors-failure');
  });
});
