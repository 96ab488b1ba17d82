/**
 * Two launches signing in side by side in a file without tabs (a proxy's HAR): the identity provider's
 * login POSTs carry nothing of their launch but the redirect back to the authorization request, whose
 * `state` names it. Each POST goes with its own launch, not with the newest one.
 */
import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import { type ProxyEntry, proxyHar } from '../fixtures/har/proxy-har';

const TENANT = '5b3c1e7a-90d2-4f3e-a6b1-7c2d8e9f0a14';
const ISS = `https://fhir-ehr.cerner.com/r4/${TENANT}`;
const AUTHORIZE = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const APP = 'https://cardio.example-vendor.com';
const IDP = 'https://sso.example-health.org/saml/login';
const T0 = Date.UTC(2026, 11, 4, 13, 0, 0);

const auth = (state: string, launch: string) =>
  `${AUTHORIZE}?response_type=code&client_id=cardio&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&launch=${launch}&scope=launch%20openid&state=${state}&aud=${encodeURIComponent(ISS)}`;

/** One launch's entries, `offset` ms after the other's: launch URL, authorize → IdP, login POST → authorize → callback. */
function launch(state: string, launchId: string, offset: number, login: 'state' | 'launch' | 'none') {
  const back =
    login === 'state'
      ? auth(state, launchId)
      : login === 'launch'
        ? auth(state, launchId).replace(`&state=${state}`, '')
        : `https://authorization.cerner.com/tenants/${TENANT}/saml/acs`;
  const at = (ms: number) => new Date(T0 + offset + ms).toISOString();
  const e = (ms: number, url: string, status: number, more: Partial<ProxyEntry> = {}): ProxyEntry => ({
    url,
    status,
    startedDateTime: at(ms),
    ...more,
  });
  return [
    e(0, `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=${launchId}`, 200),
    e(400, auth(state, launchId), 302, { location: `${IDP}?SAMLRequest=abc` }),
    e(800, `${IDP}?SAMLRequest=abc`, 200),
    e(1200, IDP, 302, { method: 'POST', post: 'username=dr&password=pw-123456', location: back }),
    e(1600, auth(state, launchId), 302, { location: `${APP}/callback?code=c-${state}&state=${state}` }),
    e(2000, `${APP}/callback?code=c-${state}&state=${state}`, 200),
  ];
}

function read(login: 'state' | 'launch' | 'none') {
  const entries = [
    ...launch('stateAAAAAAAA', 'launch-a', 0, login),
    ...launch('stateBBBBBBBB', 'launch-b', 200, login),
  ].sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  return analyze(importHar(proxyHar(entries), 'proxy.har', 'imp'));
}

const posts = (l: { steps: { exchange: { method: string; location?: string } }[] }) =>
  l.steps.filter((s) => s.exchange.method === 'POST');

describe("an identity provider's login POST in a file without tabs", () => {
  it('goes with the launch whose state its redirect carries', () => {
    const launches = read('state');
    expect(launches).toHaveLength(2);
    for (const l of launches) {
      const mine = posts(l);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.exchange.location).toContain(
        l.steps.find((s) => s.kind === 'callback')!.exchange.url.split('state=')[1],
      );
    }
  });

  it('or whose launch value it carries, when the redirect has no state', () => {
    const launches = read('launch');
    expect(launches.map((l) => posts(l).length)).toEqual([1, 1]);
  });

  it('a redirect that names neither still joins a launch (the newest signing in, as before)', () => {
    const launches = read('none');
    expect(launches.flatMap((l) => posts(l))).toHaveLength(2);
  });
});
