/** Token endpoint: PKCE, single-use expiring codes, redirect_uri, client authentication, grant types. */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { CookieJar, send } from './sandbox-client';
import {
  EHR,
  exchange,
  type Launched,
  launchToCallback,
  PATIENT,
  redeem,
  TENANT,
  urnOf,
} from './sandbox-flow';

let clock = Date.now();
const sandbox = sandboxForFile('sandbox-token', { quirk: 'none', now: () => clock });

const jar = new CookieJar();
const URN = 'urn:cerner:error:authorization-server:oauth2:token:';
const errorOf = (reply: { json: () => Record<string, unknown> }) => {
  const body = reply.json();
  return {
    error: body.error,
    urn: urnOf(String(body.error_uri)),
    keys: Object.keys(body).sort(),
  };
};
const CONFIDENTIAL_REDIRECT = 'https://companion.smartdebugger.test/probe/callback';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('authorization_code grant', () => {
  it('rejects a wrong or missing code_verifier with invalid_grant', async () => {
    for (const verifier of ['x'.repeat(43), '']) {
      const launched = await launchToCallback(sandbox(), jar);
      const reply = await redeem(sandbox(), launched, { code_verifier: verifier });
      expect(reply.status).toBe(400);
      expect(errorOf(reply).error).toBe('invalid_grant');
      // Oracle publishes no PKCE URN: the published "invalid or expired code" one.
      expect(errorOf(reply).urn).toBe(`${URN}code:invalid`);
      expect(errorOf(reply).keys).toEqual(['error', 'error_uri']);
      expect(reply.headers['cache-control']).toBe('no-store');
    }
  });

  it('accepts a code once; a replay is invalid_grant and revokes the first access token', async () => {
    const launched = await launchToCallback(sandbox(), jar);
    const first = await redeem(sandbox(), launched);
    expect(first.status).toBe(200);
    const token = first.json<{ access_token: string }>().access_token;
    const replay = await redeem(sandbox(), launched);
    expect(replay.status).toBe(400);
    expect(errorOf(replay)).toMatchObject({ error: 'invalid_grant' });
    expect(errorOf(replay).urn).toBe(`${URN}code-invalid-or-expired`);
    const read = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(401);
  });

  it('expires codes after two minutes', async () => {
    const launched = await launchToCallback(sandbox(), jar);
    clock += 121_000;
    const reply = await redeem(sandbox(), launched);
    expect(errorOf(reply)).toMatchObject({ error: 'invalid_grant' });
    expect(errorOf(reply).urn).toBe(`${URN}code-invalid-or-expired`);
  });

  it('requires the exact redirect_uri', async () => {
    const launched = await launchToCallback(sandbox(), jar);
    const reply = await redeem(sandbox(), launched, { redirect_uri: `${launched.redirectUri}/` });
    expect(errorOf(reply)).toMatchObject({ error: 'invalid_grant' });
    expect(errorOf(reply).urn).toBe(`${URN}invalid-redirect-uri`);
  });

  it('refuses a code issued to another client', async () => {
    const launched = await launchToCallback(sandbox(), jar);
    const reply = await redeem(sandbox(), launched, { client_id: 'sandbox-v2-read-trim' });
    expect(errorOf(reply).urn).toBe(`${URN}code:client:mismatch`);
  });
});

describe('client authentication and request shape', () => {
  it('authenticates confidential clients with client_secret_basic only', async () => {
    const opts = {
      clientId: 'sandbox-confidential',
      redirectUri: CONFIDENTIAL_REDIRECT,
      scope: 'launch patient/Patient.read',
    };
    const noAuth = await redeem(sandbox(), await launchToCallback(sandbox(), jar, opts));
    expect(noAuth.status).toBe(401);
    expect(errorOf(noAuth).urn).toBe(`${URN}invalid_client_credentials`);
    // The code, redirect_uri and verifier of a launch, with the client in the Authorization header only.
    const redeemBasic = (l: Launched, secret: string) =>
      exchange(
        sandbox(),
        {
          grant_type: 'authorization_code',
          code: l.callback.searchParams.get('code') ?? '',
          redirect_uri: l.redirectUri,
          code_verifier: l.verifier,
        },
        { authorization: basic('sandbox-confidential', secret) },
      );
    const wrong = await redeemBasic(await launchToCallback(sandbox(), jar, opts), 'bad');
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).error).toBe('invalid_client');
    const garbled = await exchange(
      sandbox(),
      { grant_type: 'authorization_code', code: 'x' },
      { authorization: 'Basic %%%' },
    );
    expect(errorOf(garbled).urn).toBe(`${URN}invalid_authorization_header`);

    const ok = await redeemBasic(await launchToCallback(sandbox(), jar, opts), 'sandbox-secret');
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ scope: 'launch patient/Patient.read', patient: PATIENT });
  });

  it.each([
    [
      'unsupported grant_type',
      { grant_type: 'password', client_id: 'sandbox-probe' },
      'unsupported_grant_type',
    ],
    ['missing code', { grant_type: 'authorization_code', client_id: 'sandbox-probe' }, 'invalid_request'],
    [
      'unknown client',
      { grant_type: 'authorization_code', code: 'x', client_id: 'nobody' },
      'invalid_client',
    ],
  ])('%s → %s', async (_name, params, error) => {
    const reply = await exchange(sandbox(), params);
    expect(reply.json()).toMatchObject({ error });
    expect(reply.headers['access-control-allow-origin']).toBe('*');
  });

  it('rejects a JSON body and answers the CORS preflight with *', async () => {
    const json = await send(
      sandbox(),
      `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"grant_type":"authorization_code"}',
      },
    );
    expect(json.status).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_request' });
    const preflight = await send(
      sandbox(),
      `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/token`,
      {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      },
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('revokes tokens and reports them in tokeninfo', async () => {
    const body = (await redeem(sandbox(), await launchToCallback(sandbox(), jar))).json<{
      access_token: string;
    }>();
    const info = await send(
      sandbox(),
      `https://authorization.cerner.com/tokeninfo?token=${body.access_token}`,
    );
    expect(info.json()).toMatchObject({ active: true, client_id: 'sandbox-probe', patient: PATIENT });
    const revoke = await send(
      sandbox(),
      `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/token/revoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${body.access_token}`,
      },
    );
    expect(revoke.status).toBe(200);
    const after = await send(
      sandbox(),
      `https://authorization.cerner.com/tokeninfo?token=${body.access_token}`,
    );
    expect(after.json()).toEqual({ active: false });
  });
});
