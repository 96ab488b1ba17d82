// @vitest-environment jsdom
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import FHIR from 'fhirclient';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { distinctUpTo, STATE_MIN_CHARS } from '../../utils/diagnose/rules/state-entropy';
import { authorizeOptions, relaunchOptions } from '../../web/src/lib/authorize-options';
import type { ServerEntry } from '../../web/src/lib/config-schema';
import type { LaunchRecord } from '../../web/src/lib/launch-record';
import { newStateKey } from '../../web/src/lib/state-key';

const ISS = 'https://fhir.companion.test/r4/t1';
const entry: ServerEntry = {
  id: 'test',
  label: 'Test',
  issMatch: ISS,
  iss: ISS,
  clientId: 'companion',
  scope: 'openid fhirUser launch/patient patient/Patient.rs',
  redirectUri: './auth',
  pkceMode: 'ifSupported',
  persona: 'provider',
};
const record: LaunchRecord = {
  kind: 'standalone',
  serverId: 'test',
  serverLabel: 'Test',
  iss: ISS,
  clientId: 'companion',
  scope: 'openid patient/Patient.rs',
  redirectUri: 'https://companion.test/launch/auth',
  pkceMode: 'ifSupported',
};

/** What the extension's state-entropy rule accepts: 22+ characters, 8+ distinct. */
const strongEnough = (state: string) => state.length >= STATE_MIN_CHARS && distinctUpTo(state, 8) >= 8;

afterEach(() => sessionStorage.clear());

describe('companion launch state', () => {
  it('is 32 bytes of the given random source, base64url without padding', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 250) % 256);
    const state = newStateKey((b) => {
      b.set(bytes);
      return b;
    });
    expect(state).toBe(Buffer.from(bytes).toString('base64url'));
    expect(state).toHaveLength(43);
  });

  it('comes from crypto.getRandomValues: different every time and strong enough for the extension', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const states = Array.from({ length: 20 }, () => newStateKey());
    expect(spy).toHaveBeenCalledTimes(20);
    expect(new Set(states).size).toBe(20);
    for (const s of states) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(strongEnough(s)).toBe(true);
    }
    spy.mockRestore();
  });

  it('is set on every launch and relaunch', () => {
    const a = authorizeOptions(entry, {}, 'https://companion.test/launch/').stateKey;
    const b = authorizeOptions(entry, {}, 'https://companion.test/launch/').stateKey;
    const r = relaunchOptions(record).stateKey;
    for (const s of [a, b, r]) expect(strongEnough(s ?? '')).toBe(true);
    expect(new Set([a, b, r]).size).toBe(3);
    expect(relaunchOptions(record)).toMatchObject({ iss: ISS, redirectUri: record.redirectUri });
  });

  it('becomes the state parameter of the authorize URL fhirclient builds', async () => {
    // fhirclient fetches discovery with its own fetch (cross-fetch), so serve it for real on loopback.
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          authorization_endpoint: 'https://auth.companion.test/authorize',
          token_endpoint: 'https://auth.companion.test/token',
          code_challenge_methods_supported: ['S256'],
        }),
      );
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const iss = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r4/t1`;
      const opts = authorizeOptions(entry, { iss }, 'https://companion.test/launch/');
      const url = new URL(String(await FHIR.oauth2.authorize({ ...opts, noRedirect: true })));
      expect(url.origin + url.pathname).toBe('https://auth.companion.test/authorize');
      expect(url.searchParams.get('state')).toBe(opts.stateKey);
      expect(strongEnough(url.searchParams.get('state') ?? '')).toBe(true);
    } finally {
      server.close();
    }
  });
});
