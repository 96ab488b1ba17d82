import { describe, expect, it } from 'vitest';
import { correlate } from '../../utils/launch/correlate';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';

/**
 * Only SMART launches are launches. Another site's OAuth or OpenID Connect sign-in (an intranet's single
 * sign-on, an API's client credentials) crosses the wire as callbacks and token requests that look the
 * same; a page, a HAR or a proxy recording holds them next to the launches.
 */

const APP = 'https://intranet.example.org';
const SSO = 'https://login.example-sso.com';

function signIn(scope: string, extra = ''): Exchange[] {
  const redirect = encodeURIComponent(`${APP}/sso/callback`);
  return [
    makeExchange({
      id: 'authorize',
      url: `${SSO}/oauth2/authorize?response_type=code&client_id=portal&scope=${encodeURIComponent(scope)}&state=st-123456&redirect_uri=${redirect}${extra}`,
      status: 302,
      location: `${APP}/sso/callback?code=abc&state=st-123456`,
      startedAt: 1_000,
    }),
    makeExchange({
      id: 'callback',
      url: `${APP}/sso/callback?code=abc&state=st-123456`,
      status: 302,
      location: `${APP}/home`,
      startedAt: 1_100,
    }),
  ];
}

function tokenRequest(url: string, form: Record<string, string>, body?: object): Exchange {
  return makeExchange({
    id: `token-${url}`,
    url,
    method: 'POST',
    type: 'xmlhttprequest',
    status: 200,
    startedAt: 2_000,
    form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, [v]])),
    ...(body ? { body: { text: JSON.stringify(body), mimeType: 'application/json', truncated: false } } : {}),
  });
}

const kinds = (xs: Exchange[]) => correlate(xs).map((l) => l.steps.map((s) => s.kind));

describe('correlate: SMART launches only', () => {
  it("an OpenID Connect sign-in to another site is no launch, and the launch's callback is not taken for one", () => {
    expect(kinds(signIn('openid profile email'))).toEqual([]);
    // A lone callback whose sign-in was not recorded says nothing of SMART either.
    expect(kinds(signIn('openid').slice(1))).toEqual([]);
  });

  it('the same sign-in with a SMART scope, or naming a FHIR server in aud, is a launch', () => {
    expect(kinds(signIn('openid fhirUser launch/patient patient/Patient.rs'))).toEqual([
      ['authorize', 'callback'],
    ]);
    expect(kinds(signIn('openid', `&aud=${encodeURIComponent('https://fhir.example.org/r4')}`))).toEqual([
      ['authorize', 'callback'],
    ]);
  });

  it('client credentials: an API token is no launch; SMART Backend Services (system/ scopes) is', () => {
    const api = tokenRequest(`${SSO}/oauth/token`, {
      grant_type: 'client_credentials',
      scope: 'reports.read',
    });
    expect(kinds([api])).toEqual([]);
    const backend = tokenRequest(`${SSO}/oauth/token`, {
      grant_type: 'client_credentials',
      scope: 'system/Patient.rs',
    });
    expect(kinds([backend])).toEqual([['token']]);
  });

  it("a token response's SMART context makes a launch of a code exchange recorded alone", () => {
    const code = { grant_type: 'authorization_code', code: 'c', redirect_uri: `${APP}/cb` };
    expect(
      kinds([tokenRequest(`${SSO}/oauth/token`, code, { access_token: 'x', token_type: 'Bearer' })]),
    ).toEqual([]);
    expect(
      kinds([
        tokenRequest(`${SSO}/oauth/token`, code, { access_token: 'x', token_type: 'Bearer', patient: '123' }),
      ]),
    ).toEqual([['token']]);
  });

  it("Oracle's authorization server serves SMART only: its steps are a launch without further signs", () => {
    const oracle = makeExchange({
      id: 'o',
      url: 'https://authorization.cerner.com/oauth2/authorize?response_type=code&client_id=c&state=s-1',
      status: 302,
    });
    expect(kinds([oracle])).toEqual([['authorize']]);
  });

  it("another site's OpenID configuration read in the tab stays out of a launch; its own server's joins", () => {
    const launch = signIn('openid fhirUser launch/patient');
    const config = (host: string, id: string, at: number) =>
      makeExchange({
        id,
        url: `${host}/.well-known/openid-configuration`,
        type: 'xmlhttprequest',
        startedAt: at,
        status: 200,
      });
    const [l] = correlate([
      ...launch,
      config('https://news.example.com', 'other-site', 1_200),
      config(SSO, 'own', 1_300),
    ]);
    expect(l!.steps.map((s) => s.exchange.id)).toEqual(['authorize', 'callback', 'own']);
  });

  it('a recording that begins after the launch started: FHIR calls sending a token it could not see join it', () => {
    const callback = makeExchange({
      id: 'cb',
      url: `${APP}/cb?code=abc&state=st-late-0123456789`,
      startedAt: 0,
    });
    // The token response was not recorded: the launch obtained a token the capture does not show.
    const token = tokenRequest(`${SSO}/oauth/token`, { grant_type: 'authorization_code', code: 'abc' });
    const read = (bearer: boolean) =>
      makeExchange({
        id: 'read',
        url: 'https://api.example-ehr.org/v1/Patient/p1',
        type: 'xmlhttprequest',
        status: 200,
        startedAt: 3_000,
        responseHeaders: { 'content-type': 'application/fhir+json' },
        ...(bearer ? { secretFacts: { tokenFingerprint: 'fp-unseen' } } : {}),
      });
    expect(kinds([callback, token, read(true)])).toEqual([['callback', 'token', 'fhir']]);
    // A FHIR call that sent no token (a public server's) says nothing of this sign-in.
    expect(kinds([callback, token, read(false)])).toEqual([]);
    // Without any, a code exchange is any site's sign-in.
    expect(kinds([callback, token])).toEqual([]);
  });

  it("another server's authorize answered with its sign-in page is no SMART sign", () => {
    const [authorize, callback] = signIn('openid profile offline_access User.Read');
    const page = {
      ...authorize!,
      status: 200,
      location: undefined,
      responseHeaders: { 'content-type': 'text/html; charset=utf-8' },
    };
    expect(kinds([page, callback!])).toEqual([]);
  });

  it('a page under a FHIR-like path answered with HTML is no FHIR call', () => {
    const wiki = makeExchange({
      id: 'wiki',
      url: 'https://wiki.example.org/fhir/Home',
      status: 200,
      startedAt: 1_200,
      responseHeaders: { 'content-type': 'text/html' },
    });
    expect(kinds([...signIn('openid profile email'), wiki])).toEqual([]);
  });

  it("an API's own scopes that merely start like SMART's (user/read) are none", () => {
    const api = tokenRequest(`${SSO}/oauth/token`, {
      grant_type: 'client_credentials',
      scope: 'user/read user/write',
    });
    expect(kinds([api])).toEqual([]);
  });
});
