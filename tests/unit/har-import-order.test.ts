import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import { type ProxyEntry, proxyHar } from '../fixtures/har/proxy-har';

/**
 * A HAR whose times are whole seconds (some proxies and exporters write no milliseconds): every entry
 * of a sign-in can carry the same time. The file's order is then all there is to go by, and the steps
 * keep it: a token request that starts a chain of its own does not jump ahead of the last hops of the
 * login's redirect chain, and the eleventh entry does not sort before the second.
 */
const TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const ISS = `https://fhir-ehr-code.cerner.com/r4/${TENANT}`;
const AUTHORIZE = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const TOKEN = `https://authorization.cerner.com/tenants/${TENANT}/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token`;
const APP = 'https://app.example-clinic.org/smart';
const IDP = 'https://idp.example-clinic.org/saml/login';
const STATE = 'state-0123456789abcdef0123';
const CALLBACK = `${APP}/callback?code=code-1234567890abcdef&state=${STATE}`;
const AUTH = `${AUTHORIZE}?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&launch=launch-1&scope=${encodeURIComponent('launch openid fhirUser user/Patient.read')}&state=${STATE}&aud=${encodeURIComponent(ISS)}`;

interface Req extends Omit<ProxyEntry, 'startedDateTime' | 'type'> {
  /** The whole second it started at (the proxy wrote no more). */
  second?: number;
}

const requests: Req[] = [
  { url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-1`, status: 200 },
  {
    url: `${ISS}/.well-known/smart-configuration`,
    status: 200,
    body: JSON.stringify({ authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN }),
  },
  { url: AUTH, status: 302, location: `${IDP}?SAMLRequest=abc` },
  { url: `${IDP}?SAMLRequest=abc`, status: 200 },
  { method: 'POST', url: IDP, status: 302, location: AUTH, post: 'user=a&password=pw-a-123456' },
  { url: AUTH, status: 302, location: CALLBACK },
  { url: CALLBACK, status: 200 },
  {
    method: 'POST',
    url: TOKEN,
    status: 200,
    post: `grant_type=authorization_code&code=code-1234567890abcdef&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&client_id=app`,
    body: JSON.stringify({
      access_token: 'token-1',
      token_type: 'Bearer',
      expires_in: 570,
      scope: 'launch openid fhirUser user/Patient.read',
      patient: '12724066',
    }),
  },
  ...['Patient/12724066', 'Observation?patient=12724066', 'Condition?patient=12724066'].map((path) => ({
    url: `${ISS}/${path}`,
    status: 200,
    body: '{"resourceType":"Bundle"}',
  })),
  { url: `${ISS}/Encounter?patient=12724066`, status: 200, body: '{"resourceType":"Bundle"}', second: 1 },
];

function har(list: Req[]): string {
  return proxyHar(
    list.map((r) => ({
      ...r,
      startedDateTime: `2026-12-04T09:00:${String(r.second ?? 0).padStart(2, '0')}Z`,
      type: r.post && r.url === TOKEN ? 'fetch' : r.body ? 'fetch' : 'document',
    })),
  );
}

describe('HAR import: times in whole seconds', () => {
  it('the steps keep the file’s order', () => {
    const launches = analyze(importHar(har(requests), 'proxy.har', 'imp'));
    expect(launches).toHaveLength(1);
    const launch = launches[0]!;
    expect(launch.status).toBe('succeeded');
    // Each step's entry in the file (by method and path, the first not taken yet): in ascending order.
    const path = (u: string) => u.split(/[?#]/)[0]!;
    const taken = new Set<number>();
    const at = launch.steps.map((s) => {
      const i = requests.findIndex(
        (r, j) =>
          !taken.has(j) && (r.method ?? 'GET') === s.exchange.method && path(r.url) === path(s.exchange.url),
      );
      taken.add(i);
      return i;
    });
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at).not.toContain(-1);
    const seen = at;
    expect(seen.length).toBeGreaterThanOrEqual(11);
  });

  it('entries of the same second in another order than sent: each redirect chain is still followed', () => {
    const inOrder = analyze(importHar(har(requests), 'proxy.har', 'imp'))[0]!;
    // The sign-in's last chain (login POST → authorize → callback) written last first: each redirect's
    // target before it, the authorize URL the same as the first authorize request's.
    const reversed = [...requests.slice(0, 4), ...requests.slice(4, 7).reverse(), ...requests.slice(7)];
    const launches = analyze(importHar(har(reversed), 'proxy.har', 'imp'));
    expect(launches).toHaveLength(1);
    const steps = launches[0]!.steps;
    expect(launches[0]!.status).toBe('succeeded');
    expect(steps).toHaveLength(inOrder.steps.length);
    // The login POST is known only as the start of the chain that leads to the callback.
    expect(steps.some((x) => x.exchange.method === 'POST' && x.exchange.url === IDP)).toBe(true);
    const hops = steps.filter(
      (x) => x.exchange.requestId === steps.find((y) => y.exchange.url === IDP)!.exchange.requestId,
    );
    expect(hops.map((x) => x.kind)).toEqual(['idp-login', 'authorize', 'callback']);
  });
});

describe('HAR import: a launch given up for another of the same app', () => {
  it('is abandoned, not cut off by the end of the recording, and says the app started again', () => {
    const first = AUTH.replace('launch=launch-1', 'launch=launch-0').replace(
      STATE,
      'state-first-0123456789abcdef',
    );
    const again: Req[] = [
      { url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-0`, status: 200 },
      { url: first, status: 200 },
      ...requests.map((r) => ({ ...r, second: (r.second ?? 0) + 1 })),
    ];
    const launches = analyze(importHar(har(again), 'proxy.har', 'imp'));
    expect(launches.map((l) => l.status)).toEqual(['succeeded', 'abandoned']);
    expect(launches[1]!.statusReason).toMatch(
      /^Nothing more of this launch after .*: the same app started a new launch 920 ms later in this tab/,
    );
    // Alone in the recording, the same first attempt is still only cut off by its end.
    const alone = analyze(importHar(har(again.slice(0, 2)), 'proxy.har', 'imp'));
    expect(alone.map((l) => l.status)).toEqual(['in-progress']);
  });

  it('live too: a double click on Launch leaves no launch waiting nor failed, only the one that ran', () => {
    const first = AUTH.replace('launch=launch-1', 'launch=launch-0').replace(
      STATE,
      'state-first-0123456789abcdef',
    );
    for (const aborted of [false, true]) {
      const again: Req[] = [
        { url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-0`, status: 200 },
        aborted ? { url: first, status: 0, error: 'net::ERR_ABORTED' } : { url: first, status: 200 },
        ...requests.map((r) => ({ ...r, second: (r.second ?? 0) + 1 })),
      ];
      const exchanges = importHar(har(again), 'proxy.har', 'imp');
      // Read while it happens: a second after the last step, well before anything would count as idle.
      const now = Math.max(...exchanges.map((e) => e.completedAt ?? e.startedAt)) + 1000;
      const launches = analyze(exchanges, { now });
      expect(launches.map((l) => l.status)).toEqual(['succeeded', 'abandoned']);
      expect(launches[1]!.statusReason).toMatch(/the same app started a new launch .* later in this tab/);
      expect(launches[1]!.findings.filter((f) => f.severity === 'error')).toEqual([]);
      // The first attempt alone, read live, is still waiting (or failed when the browser aborted it).
      const alone = analyze(importHar(har(again.slice(0, 2)), 'proxy.har', 'imp'), { now });
      expect(alone.map((l) => l.status)).toEqual([aborted ? 'failed' : 'in-progress']);
    }
  });

  it('its navigation aborted by the browser (net::ERR_ABORTED) as the app starts again: abandoned, no failure', () => {
    const first = AUTH.replace('launch=launch-1', 'launch=launch-0').replace(
      STATE,
      'state-first-0123456789abcdef',
    );
    const again: Req[] = [
      { url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-0`, status: 200 },
      { url: first, status: 0, error: 'net::ERR_ABORTED' },
      ...requests.map((r) => ({ ...r, second: (r.second ?? 0) + 1 })),
    ];
    const launches = analyze(importHar(har(again), 'proxy.har', 'imp'));
    expect(launches.map((l) => l.status)).toEqual(['succeeded', 'abandoned']);
    expect(launches[1]!.statusReason).toMatch(
      /^The browser aborted authorize .* \(net::ERR_ABORTED\) as the same app started a new launch .* later in this tab/,
    );
    expect(launches[1]!.failedAt).toBeUndefined();
    expect(launches[1]!.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Aborted with no new launch after it, it stays a failure.
    const alone = analyze(importHar(har(again.slice(0, 2)), 'proxy.har', 'imp'));
    expect(alone.map((l) => l.status)).toEqual(['failed']);
    // Said as the browser's abort, not as a refusal.
    expect(alone[0]!.findings[0]).toMatchObject({
      ruleId: 'unexplained-failure',
      title: 'Request aborted by the browser',
    });
    expect(alone[0]!.statusReason).toMatch(
      /^Request aborted by the browser: The browser aborted .* No server refused it\.$/,
    );
  });
});

describe('HAR import: back to the app’s launch URL after its launch got a code', () => {
  it('the app authorizing again with the same launch value is a launch of its own', () => {
    // The whole sign-in again, 20 s later: the same launch URL (the browser's Back), a new state and code.
    const second = requests.map((r) => ({
      ...r,
      url: r.url
        .replace(STATE, 'state-second-0123456789abcd')
        .replace('code-1234567890abcdef', 'code-second-0987654321'),
      ...(r.location
        ? {
            location: r.location
              .replace(STATE, 'state-second-0123456789abcd')
              .replace('code-1234567890abcdef', 'code-second-0987654321'),
          }
        : {}),
      ...(r.post ? { post: r.post.replace('code-1234567890abcdef', 'code-second-0987654321') } : {}),
      second: (r.second ?? 0) + 20,
    }));
    // The first time, the EHR sent the browser to the launch URL (a redirect from its own launch page).
    const ehr: Req = {
      url: `https://smart.cerner.com/smart/${TENANT}/apps/app-1?PAT_PersonId=12724066`,
      status: 302,
      location: requests[0]!.url,
    };
    const launches = analyze(importHar(har([ehr, ...requests, ...second]), 'proxy.har', 'imp'));
    expect(launches.map((l) => l.status)).toEqual(['succeeded', 'succeeded']);
    // Each holds one authorization: one callback and one token request.
    for (const l of launches) {
      expect(l.steps.filter((x) => x.kind === 'callback')).toHaveLength(1);
      expect(l.steps.filter((x) => x.kind === 'token')).toHaveLength(1);
    }
  });

  it('a Chrome recording: the EHR’s launch, then Back to the launch URL 20 s later (tests/fixtures/har)', () => {
    const text = readFileSync(
      fileURLToPath(new URL('../fixtures/har/back-to-launch-url.chrome.har', import.meta.url)),
      'utf8',
    );
    const launches = analyze(importHar(text, 'back.har', 'imp'));
    expect(launches.map((l) => l.status)).toEqual(['succeeded', 'succeeded']);
    for (const l of launches) {
      expect(l.steps.filter((x) => x.kind === 'callback')).toHaveLength(1);
      expect(l.steps.filter((x) => x.kind === 'token')).toHaveLength(1);
      expect(l.steps.filter((x) => x.kind === 'discovery')).toHaveLength(1);
    }
  });
});

describe('HAR import: a redirect chain Chromium gave up on', () => {
  it('its 20th hop, aborted, is said as too many redirects, not as the tab going elsewhere', () => {
    const hop = (i: number) =>
      `https://authorization.cerner.com/session-api/realm/${TENANT}?to=${encodeURIComponent(AUTH)}&n=${i}`;
    const chain: Req[] = Array.from({ length: 20 }, (_, i) =>
      i < 19
        ? { url: hop(i), status: 303, location: hop(i + 1) }
        : { url: hop(i), status: 0, error: 'net::ERR_ABORTED' },
    );
    const [launch] = analyze(importHar(har(chain), 'loop.har', 'imp'));
    expect(launch!.status).toBe('failed');
    expect(launch!.findings[0]).toMatchObject({ ruleId: 'unexplained-failure', title: 'Too many redirects' });
    expect(launch!.findings[0]!.summary).toMatch(/^The browser stopped following redirects after 20 hops/);
  });
});
