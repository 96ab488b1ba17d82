import { describe, expect, it } from 'vitest';
import { verifierChallenge } from '../../utils/capture';
import { analyze } from '../../utils/launch/analyze';
import { classify } from '../../utils/launch/classify';
import { correlate } from '../../utils/launch/correlate';
import type { Exchange, Launch } from '../../utils/model';
import {
  APP,
  CANCELLED_URN,
  type CompanionLaunch,
  companionEvents,
  ISS,
  record,
  TOKEN,
} from '../fixtures/companion-flow';
import { makeExchange } from '../fixtures/exchange';
import { loadExchanges } from '../fixtures/load';

const KEY = new Uint8Array(32).fill(7);
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

function launch(p: Partial<CompanionLaunch> = {}): CompanionLaunch {
  return {
    tabId: 1,
    at: 1_000_000,
    state: 'c3RhdGUtb2YtbGF1bmNoLW9uZQ',
    code: 'e6a3c1f0-4b9d-4c1e-8f5a-2d7b9c0e1a36',
    verifier: VERIFIER,
    challenge: verifierChallenge(VERIFIER),
    devtools: true,
    ...p,
  };
}

const kinds = (l: Launch) => l.steps.map((s) => s.kind);

describe('first guess: an authorization response is a callback whatever its path', () => {
  it.each(['/launch/auth', '/auth', '/callback', '/', '/launch/auth?tab=2', '/oauth2/authorize'])(
    '%s with code and state',
    (path) => {
      const sep = path.includes('?') ? '&' : '?';
      const c = classify(
        makeExchange({ source: 'webNavigation', url: `${APP}${path}${sep}code=abc…[36]&state=s1` }),
      );
      expect([c.kind, c.label]).toEqual(['callback', 'callback (code)']);
    },
  );

  it('a cancelled sign-in at /launch/auth is a failed callback', () => {
    const url = `${APP}/launch/auth?error=access_denied&error_uri=${encodeURIComponent(CANCELLED_URN)}&state=s1`;
    const c = classify(makeExchange({ source: 'webNavigation', url }));
    expect([c.kind, c.label]).toEqual(['callback', 'callback error=access_denied']);
  });

  it('a callback with RFC 9207 iss is not a launch', () => {
    const url = `${APP}/launch/auth?code=abc…[36]&state=s1&iss=${encodeURIComponent(ISS)}`;
    expect(classify(makeExchange({ url })).kind).toBe('callback');
  });

  it('an authorize request stays an authorize request', () => {
    const url = `https://as.test/auth?response_type=code&client_id=c&state=s1&redirect_uri=${encodeURIComponent(`${APP}/cb`)}`;
    expect(classify(makeExchange({ url })).kind).toBe('authorize');
  });
});

describe('`code` without `state` makes a callback only of a page load', () => {
  const FHIR = 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
  const search = `${FHIR}/Observation?patient=12724066&code=${encodeURIComponent('http://loinc.org|8302-2')}`;

  it.each<[string, Partial<Exchange>]>([
    ['fetch', { type: 'fetch' }],
    ['XHR', { type: 'xmlhttprequest' }],
    // A HAR without `_resourceType` (Firefox, hand-written): the FHIR media type says what it is.
    [
      'unknown type, FHIR response',
      { type: 'other', responseHeaders: { 'content-type': 'application/fhir+json' } },
    ],
    ['unknown type, FHIR path', { type: 'other' }],
    [
      'page load answered with FHIR',
      { type: 'main_frame', responseHeaders: { 'content-type': 'application/fhir+json;charset=utf-8' } },
    ],
  ])('%s', (_name, partial) => {
    const c = classify(makeExchange({ url: search, ...partial }));
    expect([c.kind, c.label]).toEqual(['fhir', 'FHIR GET Observation']);
  });

  it.each<[string, Partial<Exchange> & { url: string }]>([
    ['a page load with code alone', { type: 'main_frame', url: 'http://localhost:5173/index.html?code=abc' }],
    ['on an app URL', { type: 'other', url: 'https://app.test/cb?code=abc' }],
    ['a page load at a FHIR-looking path', { type: 'main_frame', url: `${FHIR}/Callback?code=abc` }],
  ])('still a callback: %s', (_name, partial) => {
    expect(classify(makeExchange(partial)).kind).toBe('callback');
  });

  it.each(['fetch', 'xmlhttprequest', 'script'])(
    'an app API called by %s with `code` is no callback',
    (type) => {
      const c = classify(makeExchange({ type, url: 'https://app.test/api/lookup?code=8302-2' }));
      expect(c.kind).toBe('other');
    },
  );

  it('a FHIR search by code after the token joins the launch instead of starting one', () => {
    const flow = loadExchanges('success-oracle');
    const read = flow.findLast((e) => e.url.startsWith(`${FHIR}/Patient/`))!;
    const at = flow[flow.length - 1]!.completedAt! + 100;
    const byCode: Exchange = {
      ...read,
      id: 'search-by-code',
      requestId: 'search-by-code',
      url: search,
      startedAt: at,
      completedAt: at + 50,
    };
    const launches = analyze([...flow, byCode]);
    expect(launches).toHaveLength(1);
    expect(launches[0]!.status).toBe('succeeded');
    expect(launches[0]!.steps.at(-1)).toMatchObject({ kind: 'fhir', exchange: byCode });
    expect(launches[0]!.findings.map((f) => f.ruleId)).not.toContain('token-not-visible');
  });
});

describe('in context: what the launch declared decides', () => {
  it('the companion launch has its callback, and the DevTools token response in the same launch', () => {
    const launches = correlate(record(companionEvents(launch()), KEY));
    expect(launches).toHaveLength(1);
    expect(kinds(launches[0]!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback', 'token']);
    const token = launches[0]!.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.source).toBe('devtools');
    expect(token.exchange.body?.text).toContain('access_token');
  });

  it('a cancelled sign-in shows its failed callback', () => {
    const [l] = correlate(record(companionEvents(launch({ code: undefined })), KEY));
    const callback = l!.steps.find((s) => s.kind === 'callback')!;
    expect(callback.label).toBe('callback error=access_denied');
    expect(callback.failed).toBe(true);
    expect(l!.status).toBe('failed');
  });

  it('a declared redirect URI carrying only an error (no state) is the callback', () => {
    const authorize = makeExchange({
      id: 'a',
      url: `https://as.test/oauth/authorize?response_type=code&client_id=c&scope=launch%2Fpatient&state=s9&redirect_uri=${encodeURIComponent(`${APP}/auth`)}`,
      status: 302,
    });
    const cb = makeExchange({
      id: 'b',
      source: 'webNavigation',
      url: `${APP}/auth?error=server_error`,
      startedAt: 5,
    });
    expect(classify(cb).kind).toBe('authorize');
    const [l] = correlate([authorize, cb]);
    expect(kinds(l!)).toEqual(['authorize', 'callback']);
  });

  it('the redirect URI page without parameters is no authorize step', () => {
    const authorize = makeExchange({
      id: 'a',
      url: `https://as.test/oauth/authorize?response_type=code&client_id=c&scope=launch%2Fpatient&state=s9&redirect_uri=${encodeURIComponent(`${APP}/auth`)}`,
      status: 302,
    });
    const page = makeExchange({ id: 'b', url: `${APP}/auth`, startedAt: 5, tabId: 1 });
    expect(classify(page).kind).toBe('authorize');
    // Not a second authorize step (which would start a second launch): an app page of this launch.
    expect(correlate([authorize, page]).map(kinds)).toEqual([['authorize']]);
  });

  it("discovery's endpoints classify paths no heuristic knows", () => {
    const body = JSON.stringify({
      authorization_endpoint: 'https://idp.test/start-signin',
      token_endpoint: 'https://idp.test/exchange',
    });
    const exchanges: Exchange[] = [
      makeExchange({
        id: 'd',
        type: 'xmlhttprequest',
        url: 'https://fhir.test/r4/.well-known/smart-configuration',
        body: { text: body, mimeType: 'application/json', truncated: false },
      }),
      makeExchange({
        id: 'a',
        url: `https://idp.test/start-signin?client_id=c&state=s5&redirect_uri=${encodeURIComponent(`${APP}/cb`)}`,
        startedAt: 10,
        status: 302,
      }),
      makeExchange({
        id: 'c',
        source: 'webNavigation',
        url: `${APP}/cb?code=xyz…[30]&state=s5`,
        startedAt: 20,
      }),
      makeExchange({
        id: 't',
        type: 'fetch',
        method: 'POST',
        url: 'https://idp.test/exchange',
        startedAt: 30,
      }),
    ];
    expect(classify(exchanges[1]!).kind).toBe('other');
    const launches = correlate(exchanges);
    expect(launches).toHaveLength(1);
    expect(kinds(launches[0]!)).toEqual(['discovery', 'authorize', 'callback', 'token']);
  });

  it('the token request seen only by DevTools joins at the discovery token endpoint', () => {
    // No secret facts and no form: tab, time and the endpoint decide.
    const exchanges = record(companionEvents(launch()), KEY).map((e) =>
      e.source === 'devtools' && e.url === TOKEN ? { ...e, form: undefined, secretFacts: undefined } : e,
    );
    const launches = correlate(exchanges);
    expect(launches).toHaveLength(1);
    expect(kinds(launches[0]!)).toContain('token');
  });

  it('with the origin watched, the DevTools body merges into the webRequest token step', () => {
    const launches = correlate(record(companionEvents(launch({ watched: true })), KEY));
    expect(launches).toHaveLength(1);
    const tokens = launches[0]!.steps.filter((s) => s.kind === 'token');
    expect(tokens.map((s) => s.exchange.source)).toEqual(['webRequest']);
    expect(tokens[0]!.exchange.body?.text).toContain('access_token');
  });

  it.each(['/launch/auth', '/auth', '/callback', '/', '/launch/auth?mode=full'])(
    'redirect URI %s: one launch with callback and token',
    (path) => {
      const launches = correlate(record(companionEvents(launch({ redirectUri: `${APP}${path}` })), KEY));
      expect(launches).toHaveLength(1);
      expect(kinds(launches[0]!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback', 'token']);
    },
  );
});
