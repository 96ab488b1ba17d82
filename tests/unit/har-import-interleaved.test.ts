import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import { type ProxyEntry, proxyHar } from '../fixtures/har/proxy-har';

/**
 * Two EHR launches recorded side by side in one file (a proxy's HAR holds every tab, with no tab to tell
 * them apart), each signing in at the identity provider: a login POST joins a launch on weak evidence
 * only (the newest one signing in), and its redirect chain carries on to the authorize hop after it.
 * A hop that names its own EHR launch goes with that launch, so the steps of the two never mix.
 */
const TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const ISS = `https://fhir-ehr-code.cerner.com/r4/${TENANT}`;
const AUTHORIZE = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const TOKEN = `https://authorization.cerner.com/tenants/${TENANT}/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token`;
const APP = 'https://app.example-clinic.org/smart';
const IDP = 'https://idp.example-clinic.org/saml/login';

type Req = Omit<ProxyEntry, 'startedDateTime'>;

function har(requests: Req[]): string {
  return proxyHar(
    requests.map((r, i) => ({
      ...r,
      startedDateTime: new Date(Date.UTC(2026, 11, 4, 9, 0, 0, i * 130)).toISOString(),
    })),
    { name: 'Charles Proxy', version: '4.6' },
  );
}

const authorizeUrl = (x: 'A' | 'B') =>
  `${AUTHORIZE}?response_type=code&client_id=client-${x}&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&launch=launch-${x}&scope=${encodeURIComponent('launch openid fhirUser user/Patient.read')}&state=state-${x}-0123456789abcdef&aud=${encodeURIComponent(ISS)}`;
const launchUrl = (x: 'A' | 'B') => `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-${x}`;

const requests: Req[] = [
  { url: launchUrl('A'), status: 200 },
  { url: authorizeUrl('A'), status: 302, location: `${IDP}?SAMLRequest=abc` },
  { url: launchUrl('B'), status: 200 },
  { url: authorizeUrl('B'), status: 302, location: `${IDP}?SAMLRequest=def` },
  { url: `${IDP}?SAMLRequest=abc`, status: 200 },
  { url: `${IDP}?SAMLRequest=def`, status: 200 },
  // A's user signs in first, while B's sign-in page is the newest one open.
  { method: 'POST', url: IDP, status: 302, location: authorizeUrl('A'), post: 'user=a&password=pw-a' },
  {
    url: authorizeUrl('A'),
    status: 302,
    location: `${APP}/callback?code=code-A-1234567890&state=state-A-0123456789abcdef`,
  },
  { url: `${APP}/callback?code=code-A-1234567890&state=state-A-0123456789abcdef`, status: 200 },
  {
    method: 'POST',
    url: TOKEN,
    status: 200,
    type: 'fetch',
    post: `grant_type=authorization_code&code=code-A-1234567890&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&client_id=client-A`,
    body: JSON.stringify({
      access_token: 'token-A',
      token_type: 'Bearer',
      expires_in: 570,
      scope: 'launch openid fhirUser user/Patient.read',
      patient: '12724066',
    }),
  },
  { method: 'POST', url: IDP, status: 302, location: authorizeUrl('B'), post: 'user=b&password=pw-b' },
  {
    url: authorizeUrl('B'),
    status: 302,
    location: `${APP}/callback?error=invalid_scope&state=state-B-0123456789abcdef`,
  },
  { url: `${APP}/callback?error=invalid_scope&state=state-B-0123456789abcdef`, status: 200 },
];

describe('HAR import: two launches recorded side by side', () => {
  it('each launch keeps its own authorize hops, callback and token request', () => {
    const launches = analyze(importHar(har(requests), 'proxy.har', 'imp'));
    expect(launches).toHaveLength(2);
    const a = launches.find((l) => l.clientId === 'client-A')!;
    const b = launches.find((l) => l.clientId === 'client-B')!;
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('failed');
    // Every step that names a client or a state names its own launch's.
    for (const [launch, x] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      for (const s of launch.steps) {
        const url = s.exchange.url;
        if (/client_id=|state=/.test(url)) expect(url, s.label).toMatch(new RegExp(`client-${x}|state-${x}`));
      }
    }
    expect(a.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['callback', 'token']));
    expect(b.findings[0]?.ruleId).toBe('scope-rejected');
  });
});
