/**
 * §7 failure classes at the token endpoint and the FHIR servers, driven as the probe app runs them in a
 * browser, with Oracle's wire shape and the rule analyze() names first for the recorded launch.
 */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { APP_ORIGIN, Browser } from './sandbox-browser';
import {
  ehrLaunch,
  fhirGet,
  firstFinding,
  lastExchange,
  launchHolding,
  redeemIn,
} from './sandbox-browser-flow';
import { EHR, exchange, PATIENT, PROBE_REDIRECT, pkcePair, TENANT, urnOf } from './sandbox-flow';

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

describe('FHIR servers', () => {
  it('v2 scope trim (sandbox-v2-read-trim): .read dropped, then FHIR 403 insufficient_scope', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, {
      appId: 'sandbox-v2-read-trim',
      authorize: { scope: 'launch openid fhirUser patient/Patient.read patient/Observation.read' },
    });
    const token = (await redeemIn(b, launched)).reply.json<{ access_token: string; scope: string }>();
    expect(token.scope.split(' ').sort()).toEqual(['fhirUser', 'launch', 'openid']);
    const { reply } = await fhirGet(b, `${EHR}/Patient/${PATIENT}`, token.access_token);
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="fhir-ehr-code.cerner.com", error="insufficient_scope", error_uri="urn:cerner:error:oauth2:resource-access:insufficient-scopes"',
    );
    const body = reply.json<{ resourceType: string; issue: { code: string }[] }>();
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.code).toBe('forbidden');
    for (const needle of [
      'urn:cerner:error:oauth2:resource-access:insufficient-scopes',
      'insufficient_scope',
      'no_scope_for_resource_path',
    ])
      expect(reply.body).toContain(needle);
    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe('scopes-trimmed');
    expect(finding?.severity).toBe('error');
  });

  it('token expiry (sandbox-short-token, 30 s): FHIR 401 invalid_token with an OperationOutcome', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, { appId: 'sandbox-short-token' });
    const token = (await redeemIn(b, launched)).reply.json<{ access_token: string; expires_in: number }>();
    expect(token.expires_in).toBe(30);
    expect((await fhirGet(b, `${EHR}/Patient/${PATIENT}`, token.access_token)).reply.status).toBe(200);
    clock += 31_000;
    const { reply } = await fhirGet(b, `${EHR}/Observation?patient=${PATIENT}`, token.access_token);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token"',
    );
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'security' }] });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('token-expired');
  });

  it('discovery failure: iss on fhir-open has no smart-configuration (404)', async () => {
    const b = browser();
    const open = `https://fhir-open.cerner.com/r4/${TENANT}`;
    b.openAppPage(`${APP_ORIGIN}/probe/launch?iss=${encodeURIComponent(open)}`);
    const { reply, blocked } = await b.fetch(`${open}/.well-known/smart-configuration`);
    expect(blocked).toBe(false);
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('discovery-failure');
  });
});
