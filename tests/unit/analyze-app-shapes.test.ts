/**
 * Launches of apps built in ways the plain fhirclient flow is not: a backend that exchanges the code
 * (backend-for-frontend), authorization in a popup, a launch URL at a login-like path. Built from the
 * Oracle shapes of tests/fixtures/exchanges/oracle-flow.ts.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { classify } from '../../utils/launch/classify';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import {
  APP,
  type AuthorizeOpts,
  authorizeUrl,
  CODE,
  CONTEXT_ID,
  fhirGet,
  ISS,
  launchStart,
  Recorder,
  redirectTo,
  STATE,
  TOKEN_ENDPOINT,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';

const CALLBACK = `${APP}/index.html?code=${encodeURIComponent(CODE)}&state=${STATE}`;

function only(exchanges: Exchange[]): Launch {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const rules = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);
const kindOf = (l: Launch, url: string) => l.steps.find((s) => s.exchange.url === url)?.kind;

/** Code Console launch (tab 101) whose authorize redirects straight to the app's callback. */
function toCallback(r: Recorder, o: AuthorizeOpts = {}): void {
  launchStart(r);
  r.add({
    initiator: APP,
    url: authorizeUrl(o),
    ...redirectTo(CALLBACK),
  });
  r.add({ source: 'webNavigation', url: CALLBACK });
}

describe('an app that hands the code to its own backend is no token request', () => {
  const BFF = `${APP}/api/token`;

  /** After the callback the page POSTs the code to BFF, which answers with a session, not a token. */
  function bff(form?: Record<string, string[]>): Exchange[] {
    const r = new Recorder();
    toCallback(r);
    r.wait(100).add({
      type: 'fetch',
      method: 'POST',
      initiator: APP,
      url: BFF,
      ...(form ? { form } : {}),
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      body: { text: '{"ok":true}', mimeType: 'application/json', truncated: false },
    });
    return r.out;
  }

  it.each([
    ['a visible form without grant_type', { code: [CODE], state: [STATE] }],
    ['no visible form, at the app origin, discovery naming another token endpoint', undefined],
  ])('%s', (_name, form) => {
    const l = only(bff(form));
    expect(l.steps.some((s) => s.kind === 'token')).toBe(false);
    expect(rules(l)).not.toContain('error:token-response-shape');
    expect(rules(l).filter((r) => /pkce|token-cache-control/.test(r))).toEqual([]);
    // The callback's code went where the recorder could not follow: as a token request not seen.
    expect(l.status).toBe('authorized');
  });

  /**
   * The app origin watched: the callback page is recorded by webRequest too, then the page POSTs to
   * `path` with `form` (no grant_type).
   */
  function watchedBff(path: string, form: Record<string, string[]> | undefined): Launch {
    const r = new Recorder();
    launchStart(r);
    const req = r.newRequestId();
    r.add({
      requestId: req,
      initiator: APP,
      url: authorizeUrl(),
      ...redirectTo(CALLBACK),
    });
    r.add({ requestId: req, hop: 1, initiator: APP, url: CALLBACK, status: 200 });
    r.add({ source: 'webNavigation', url: CALLBACK });
    r.wait(100).add({
      type: 'fetch',
      method: 'POST',
      initiator: APP,
      url: `${APP}${path}`,
      ...(form ? { form } : {}),
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
    });
    const launches = analyze(r.out, { watchedOrigins: [`${APP}/*`] });
    expect(launches).toHaveLength(1);
    return launches[0]!;
  }

  it.each([
    ['a visible form with the code', { code: [CODE], state: [STATE] }],
    ['no visible form', undefined],
  ])('app origin watched, %s: authorized by its backend, not state lost', (_name, form) => {
    const l = watchedBff('/api/token', form);
    expect(rules(l)).not.toContain('error:state-lost');
    expect(rules(l)).not.toContain('warning:token-not-visible');
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toMatch(/sent it to its own backend \(POST \/api\/token\)/);
    // The hand-over is a step of the launch, after its callback.
    expect(l.steps.at(-1)).toMatchObject({ kind: 'other', exchange: { url: BFF } });
  });

  it('app origin watched, a POST that carries no code is no hand-over: state lost', () => {
    const l = watchedBff('/api/log', { event: ['loaded'] });
    expect(rules(l)[0]).toBe('error:state-lost');
    expect(l.status).toBe('failed');
  });

  it('incremental analysis agrees with a fresh one, also when discovery arrives after the POST', () => {
    const json = (list: Exchange[]) => JSON.stringify(analyze(list));
    const all = bff();
    const isDiscovery = (e: Exchange) => e.url.includes('/.well-known/');
    const live: Exchange[] = [];
    for (const ex of [...all.filter((e) => !isDiscovery(e)), ...all.filter(isDiscovery)]) {
      live.push(ex);
      expect(json(live)).toBe(json(structuredClone(live)));
    }
    expect(analyze(live)[0]!.steps.some((s) => s.kind === 'token')).toBe(false);
  });

  it('first guess: a form without grant_type is none, a POST to /token with no visible form is one', () => {
    const post = (p: Partial<Exchange>) =>
      classify(makeExchange({ method: 'POST', type: 'fetch', url: BFF, ...p }));
    expect(post({ form: { code: ['c'], state: ['s'] } }).kind).toBe('other');
    expect(post({ form: { grant_type: ['authorization_code'], code: ['c'] } }).kind).toBe('token');
    expect(post({}).kind).toBe('token');
    expect(post({ form: {} }).kind).toBe('token');
  });

  /** A token request with no visible body (a HAR without postData, a request seen only in part). */
  function tokenWithoutBody(url: string, o: { discovery?: boolean } = {}): Exchange[] {
    const r = new Recorder();
    toCallback(r, { redirectUri: `${APP}/index.html` });
    r.wait(100);
    const token = tokenPost(r);
    token.url = url;
    delete token.form;
    return o.discovery === false ? r.out.filter((e) => !e.url.includes('/.well-known/')) : r.out;
  }

  it('a token request without a visible body at the discovered token endpoint stays a token request', () => {
    const l = only(tokenWithoutBody(TOKEN_ENDPOINT));
    expect(kindOf(l, TOKEN_ENDPOINT)).toBe('token');
    expect(l.status).toBe('succeeded');
  });

  it('a POST to the app origin /token without a visible body stays a token request without discovery', () => {
    const url = `${APP}/token`;
    const l = only(tokenWithoutBody(url, { discovery: false }));
    expect(l.steps.some((s) => s.kind === 'discovery')).toBe(false);
    expect(kindOf(l, url)).toBe('token');
    expect(l.status).toBe('succeeded');
  });
});

describe('authorization in a popup (fhirclient target: "popup") keeps the launch state', () => {
  /** Launch in tab 101; authorize and its callback in tab 202, opened by 101 when `opener` is set. */
  function popup(o: { opener: boolean; openerLoadsCallback: boolean }): Exchange[] {
    const r = new Recorder();
    launchStart(r);
    const opener = o.opener ? { openerTabId: 101 } : {};
    r.add({
      tabId: 202,
      ...opener,
      initiator: APP,
      url: authorizeUrl(),
      ...redirectTo(CALLBACK),
    });
    r.add({ source: 'webNavigation', tabId: 202, ...opener, url: CALLBACK });
    if (o.openerLoadsCallback) r.wait(300).add({ source: 'webNavigation', tabId: 101, url: CALLBACK });
    return r.out;
  }

  it.each([
    ['the popup was opened by the launch tab', { opener: true, openerLoadsCallback: false }],
    ['and the opener then loads the callback', { opener: true, openerLoadsCallback: true }],
    [
      'the opener is unknown, but the launch tab loads the callback',
      { opener: false, openerLoadsCallback: true },
    ],
  ])('%s: authorized, not state lost', (_name, o) => {
    const l = only(popup(o));
    expect(rules(l)).not.toContain('error:state-lost');
    expect(l.status).toBe('authorized');
  });

  it('a callback in an unrelated tab, and none in the launch tab, is still state lost', () => {
    const l = only(popup({ opener: false, openerLoadsCallback: false }));
    expect(rules(l)[0]).toBe('error:state-lost');
    expect(l.status).toBe('failed');
  });
});

describe('an app launch URL at a login-like path is the launch URL', () => {
  /** Complete launch whose launch URL is at `path`; authorize as `o` says. */
  function launchAt(path: string, o: AuthorizeOpts = {}): { exchanges: Exchange[]; launchUrl: string } {
    const r = new Recorder();
    toCallback(r, o);
    r.wait(120);
    tokenPost(r);
    fhirGet(r, 'Patient/12724066');
    const launchUrl = `${APP}${path}?iss=${encodeURIComponent(ISS)}&launch=${CONTEXT_ID}`;
    for (const e of r.out) if (e.url.startsWith(`${APP}/launch.html?`)) e.url = launchUrl;
    return { exchanges: r.out, launchUrl };
  }

  it.each(['/login', '/sso', '/signin'])('%s', (path) => {
    const { exchanges, launchUrl } = launchAt(path);
    const l = only(exchanges);
    expect(kindOf(l, launchUrl)).toBe('ehr-launch');
    expect(l.steps.some((s) => s.kind === 'idp-login' && s.exchange.url === launchUrl)).toBe(false);
    expect(l.status).toBe('succeeded');
  });

  it("the launch URL's checks run: launch not passed to authorize", () => {
    const { exchanges } = launchAt('/login', { launch: null });
    expect(rules(only(exchanges))).toContain('warning:launch-not-echoed');
  });
});

describe('response_mode=fragment: the authorization response in the callback URL fragment', () => {
  /**
   * Authorize redirects to `redirect_uri#<fragment>`; webNavigation reports the URL with its fragment
   * (webRequest drops it, and without the app origin watched records nothing of the page).
   */
  function fragmentLaunch(
    fragment: string,
    o: { token?: boolean } = {},
  ): { exchanges: Exchange[]; cb: string } {
    const r = new Recorder();
    launchStart(r);
    const cb = `${APP}/index.html#${fragment}`;
    r.add({
      initiator: APP,
      url: authorizeUrl({ extra: '&response_mode=fragment' }),
      ...redirectTo(cb),
    });
    r.add({ source: 'webNavigation', url: cb });
    if (o.token) {
      r.wait(120);
      tokenPost(r);
      fhirGet(r, 'Patient/12724066');
    }
    return { exchanges: r.out, cb };
  }
  const CODE_FRAGMENT = `code=${encodeURIComponent(CODE)}&state=${STATE}`;

  it('a code: the callback, authorized (token request not visible)', () => {
    const { exchanges, cb } = fragmentLaunch(CODE_FRAGMENT);
    const l = only(exchanges);
    expect(kindOf(l, cb)).toBe('callback');
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toContain(APP);
    expect(rules(l)).toContain('warning:token-not-visible');
    expect(rules(l)).not.toContain('error:state-lost');
  });

  it('a code and its token request: succeeded', () => {
    const l = only(fragmentLaunch(CODE_FRAGMENT, { token: true }).exchanges);
    expect(l.status).toBe('succeeded');
  });

  it('an error: the callback with the error, where the launch failed', () => {
    const { exchanges, cb } = fragmentLaunch(`error=invalid_scope&state=${STATE}`);
    const l = only(exchanges);
    const step = l.steps.find((s) => s.exchange.url === cb);
    expect(step).toMatchObject({ kind: 'callback', label: 'callback error=invalid_scope', failed: true });
    expect(l.status).toBe('failed');
    expect(l.failedAt).toBe(step!.exchange.id);
  });

  it('a fragment of another kind (a hash route) is no callback', () => {
    const { exchanges, cb } = fragmentLaunch('/patient/12724066');
    expect(kindOf(only(exchanges), cb)).not.toBe('callback');
  });

  it('incremental analysis agrees with a fresh one as the exchanges arrive', () => {
    const json = (list: Exchange[]) => JSON.stringify(analyze(list));
    const live: Exchange[] = [];
    for (const ex of fragmentLaunch(CODE_FRAGMENT, { token: true }).exchanges) {
      live.push(ex);
      expect(json(live)).toBe(json(structuredClone(live)));
    }
  });
});
