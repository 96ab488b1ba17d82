/**
 * A complete Code Console EHR launch over real HTTPS, then what a second launch does in each quirk mode.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { CookieJar, send } from './sandbox-client';
import {
  authorizeUrl,
  consoleLaunch,
  EHR,
  ENCOUNTER,
  exchange,
  PATIENT,
  PRACTITIONER,
  PROBE_REDIRECT,
  pkcePair,
  TENANT,
  walk,
} from './sandbox-flow';

const sandbox = sandboxForFile('sandbox-launch');
beforeEach(() => sandbox().setQuirk('forceauthn-session'));

async function launchOnce(jar: CookieJar, scope?: string) {
  const ctx = await consoleLaunch(sandbox());
  const { verifier, challenge } = pkcePair();
  const state = 'state-123';
  const start = authorizeUrl({
    launch: ctx.launch,
    aud: ctx.iss,
    challenge,
    state,
    ...(scope ? { scope } : {}),
  });
  return { ctx, verifier, state, result: await walk(sandbox(), jar, start) };
}

describe('EHR launch through the sandbox', () => {
  it('goes console → preauth → app → Loading → session-api → login → authorize → callback → token → FHIR', async () => {
    const jar = new CookieJar();
    const ctx = await consoleLaunch(sandbox());
    expect(ctx.hops[0]?.status).toBe(302);
    expect(ctx.hops[0]?.headers['smart-launch']).toBe(ctx.launch);
    expect(ctx.hops[0]?.location).toBe(
      `https://smart.cerner.com/smart/user/preauth?context_id=${ctx.launch}&tenant=${TENANT}`,
    );
    expect(ctx.iss).toBe(EHR);
    expect(ctx.launchUrl.startsWith('https://companion.smartdebugger.test/probe/launch?')).toBe(true);

    const discovery = await send(sandbox(), `${ctx.iss}/.well-known/smart-configuration`);
    const conf = discovery.json<{ authorization_endpoint: string; token_endpoint: string }>();
    expect(conf.token_endpoint).toBe(
      `https://authorization.cerner.com/tenants/${TENANT}/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token`,
    );

    const { verifier, challenge } = pkcePair();
    const start = authorizeUrl({ launch: ctx.launch, aud: ctx.iss, challenge, state: 'st-1' });
    expect(start.startsWith(conf.authorization_endpoint)).toBe(true);
    const { hops, callback } = await walk(sandbox(), jar, start);

    const [loading, hop, login, loginPost, back] = hops;
    expect(loading?.status).toBe(200);
    expect(loading?.body).toContain('<title>Loading...</title>');
    expect(hop?.url).toMatch(new RegExp(`/session-api/realm/${TENANT}\\?to=.*&forceAuthn=true$`));
    const to = new URL(hop?.url ?? '').searchParams.get('to') ?? '';
    expect(to.startsWith(start)).toBe(true);
    expect(new URL(to).searchParams.get('initialRequestId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(new URL(to).searchParams.get('isForceAuthn')).toBe('true');
    expect(hop?.status).toBe(303);
    expect(login?.body).toContain('id="signin"');
    expect(loginPost?.status).toBe(303);
    expect(loginPost?.location).toBe(to);
    expect(jar.names('authorization.cerner.com')).toEqual(
      expect.arrayContaining(['cerner-authz-session', 'cloud-session-iframe', 'idp-session', 'cerner-sso']),
    );
    expect(jar.names('smart.cerner.com')).toEqual(['cerner-sso']);
    expect(back?.status).toBe(302);
    expect(callback?.origin + (callback?.pathname ?? '')).toBe(PROBE_REDIRECT);
    expect(callback?.searchParams.get('state')).toBe('st-1');
    const code = callback?.searchParams.get('code') ?? '';

    const token = await exchange(sandbox(), {
      grant_type: 'authorization_code',
      code,
      redirect_uri: PROBE_REDIRECT,
      code_verifier: verifier,
      client_id: 'sandbox-probe',
    });
    expect(token.status).toBe(200);
    expect(token.headers['cache-control']).toBe('no-store');
    expect(token.headers['access-control-allow-origin']).toBe('*');
    const body = token.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 570,
      patient: PATIENT,
      encounter: ENCOUNTER,
      need_patient_banner: false,
      smart_style_url: 'https://smart.cerner.com/styles/smart-v1.json',
      user: PRACTITIONER,
      tenant: TENANT,
      username: 'portal',
    });
    expect(String(body.scope).split(' ').sort()).toEqual(
      [
        'fhirUser',
        'launch',
        'online_access',
        'openid',
        'patient/Observation.rs',
        'patient/Patient.rs',
      ].sort(),
    );
    expect(typeof body.refresh_token).toBe('string');

    const jwks = createLocalJWKSet((await send(sandbox(), 'https://authorization.cerner.com/jwk')).json());
    const { payload } = await jwtVerify(String(body.id_token), jwks, { audience: 'sandbox-probe' });
    expect(payload.fhirUser).toBe(`${EHR}/Practitioner/${PRACTITIONER}`);
    expect(payload.iss).toBe(`https://authorization.cerner.com/tenants/${TENANT}`);

    const patient = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(patient.status).toBe(200);
    expect(patient.json()).toMatchObject({ resourceType: 'Patient', id: PATIENT });
    const obs = await send(sandbox(), `${EHR}/Observation?patient=${PATIENT}&category=laboratory`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(obs.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
  });

  it('answers 400 on the session-api hop of a second launch once a session cookie exists (default quirk)', async () => {
    const jar = new CookieJar();
    const first = await launchOnce(jar);
    expect(first.result.callback?.searchParams.get('code')).toBeTruthy();
    const second = await launchOnce(jar);
    expect(second.result.callback).toBeUndefined();
    expect(second.result.last.status).toBe(400);
    expect(second.result.last.url).toContain('/session-api/realm/');
    expect(second.result.last.url).toMatch(/&forceAuthn=true$/);
    expect(second.result.last.body).toContain('Bad Request');
    const { requestLog } = sandbox();
    const logged = requestLog.filter((e) => e.path.startsWith('/session-api/realm/')).at(-1);
    expect(logged?.status).toBe(400);
    expect(logged?.cookieNames).toContain('cloud-session-iframe');
  });

  it('lets the second launch through once the forceAuthn flag is removed from the hop', async () => {
    const jar = new CookieJar();
    await launchOnce(jar);
    const second = await launchOnce(jar);
    const stripped = second.result.last.url.replace(/&forceAuthn=true$/, '');
    const resumed = await walk(sandbox(), jar, stripped);
    expect(resumed.callback?.searchParams.get('code')).toBeTruthy();
  });

  it('reuses the session in quirk "none": no login, straight back to the app', async () => {
    sandbox().setQuirk('none');
    const jar = new CookieJar();
    await launchOnce(jar);
    const second = await launchOnce(jar);
    expect(second.result.callback?.searchParams.get('code')).toBeTruthy();
    expect(second.result.hops.some((h) => h.body.includes('id="signin"'))).toBe(false);
  });

  it('answers 400 "Request Header Or Cookie Too Large" in quirk "header-size" when URL + Cookie exceed 8 KiB', async () => {
    sandbox().setQuirk('header-size');
    const small = await launchOnce(new CookieJar());
    expect(small.result.callback).toBeDefined();
    const wide = Array.from({ length: 170 }, (_, i) => `patient/Observation.rs?code=${1000 + i}`).join(' ');
    const big = await launchOnce(new CookieJar(), `launch openid fhirUser patient/Patient.rs ${wide}`);
    expect(big.result.last.status).toBe(400);
    expect(big.result.last.body).toContain('Request Header Or Cookie Too Large');
    expect(big.result.last.url.includes('/session-api/realm/')).toBe(true);
    expect(big.result.hops[0]?.status).toBe(200);
  });

  it('switches the quirk from the console page form and the JSON endpoint', async () => {
    const post = await send(sandbox(), 'https://smart.cerner.com/sandbox/quirk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'quirk=none',
    });
    expect(post.status).toBe(303);
    expect(sandbox().quirk).toBe('none');
    const page = await send(sandbox(), 'https://smart.cerner.com/');
    expect(page.body).toContain('<code id="quirk">none</code>');
    const json = await send(sandbox(), 'https://smart.cerner.com/sandbox/api/quirk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quirk: 'header-size' }),
    });
    expect(json.json()).toEqual({ quirk: 'header-size' });
    expect(sandbox().quirk).toBe('header-size');
    const bad = await send(sandbox(), 'https://smart.cerner.com/sandbox/api/quirk', {
      method: 'POST',
      body: '{"quirk":1',
    });
    expect(bad.status).toBe(400);
    expect(sandbox().quirk).toBe('header-size');
  });

  it('refreshes tokens with the refresh_token grant', async () => {
    const jar = new CookieJar();
    const { result, verifier } = await launchOnce(jar);
    const code = result.callback?.searchParams.get('code') ?? '';
    const first = (
      await exchange(sandbox(), {
        grant_type: 'authorization_code',
        code,
        redirect_uri: PROBE_REDIRECT,
        code_verifier: verifier,
        client_id: 'sandbox-probe',
      })
    ).json<{ access_token: string; refresh_token: string }>();
    const refreshed = await exchange(sandbox(), {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'sandbox-probe',
    });
    expect(refreshed.status).toBe(200);
    const body = refreshed.json<{ access_token: string; patient: string }>();
    expect(body.access_token).not.toBe(first.access_token);
    expect(body.patient).toBe(PATIENT);
    const read = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(read.status).toBe(200);
    const bogus = await exchange(sandbox(), {
      grant_type: 'refresh_token',
      refresh_token: 'nope',
      client_id: 'sandbox-probe',
    });
    expect(bogus.status).toBe(400);
    expect(bogus.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
