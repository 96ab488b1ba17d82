/**
 * Federated sign-in: the authorization server sends the user to an identity provider's own OIDC
 * authorize request (Azure AD, Okta…), the provider answers back at the authorization server with its
 * own code and state, and only then does the server redirect to the app's redirect_uri with the app's
 * code. The provider's leg is part of the login, not the app's callback (utils/launch/refine.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import {
  APP,
  AUTH,
  authorizeUrl,
  CODE,
  fhirGet,
  launchStart,
  loadingPage,
  Recorder,
  redirectTo,
  STATE,
  sessionApiUrl,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';

const IDP = 'https://login.microsoftonline.com';
const IDP_STATE = 'aHR0cHM6Ly9hdXRob3JpemF0aW9uLmNlcm5lci5jb20v';
const ORACLE_CB = `${AUTH}/session-api/oidc/callback`;
const IDP_AUTHORIZE = `${IDP}/0b7c5b1e/oauth2/v2.0/authorize?client_id=9a8b7c6d&response_type=code&redirect_uri=${encodeURIComponent(ORACLE_CB)}&scope=openid%20profile&state=${IDP_STATE}&nonce=n0nce`;
const IDP_CALLBACK = `${ORACLE_CB}?code=0.AVYA${'x'.repeat(20)}&state=${IDP_STATE}&session_state=abc`;
const APP_CALLBACK = `${APP}/index.html?code=${encodeURIComponent(CODE)}&state=${STATE}`;

interface Shape {
  /** The token request and a FHIR read follow the callback. */
  token?: boolean;
  /** Each hop its own request (a HAR, or hops seen apart) instead of one redirect chain. */
  separate?: boolean;
  /** The provider's authorize request was not recorded (only its answer back at the server). */
  noIdpAuthorize?: boolean;
}

/** Oracle EHR launch (tab 101) whose session-api sends the user to IDP over OIDC. */
function federated(o: Shape = {}): Exchange[] {
  const r = new Recorder();
  launchStart(r);
  const authorize = authorizeUrl();
  loadingPage(r, authorize);
  const sessionReq = r.newRequestId();
  const idpHop = o.noIdpAuthorize ? `${IDP}/elsewhere` : IDP_AUTHORIZE;
  r.wait(200).add({
    requestId: sessionReq,
    initiator: AUTH,
    url: sessionApiUrl(authorize),
    ...redirectTo(idpHop, 303),
  });
  if (!o.noIdpAuthorize) {
    r.add({
      requestId: o.separate ? r.newRequestId() : sessionReq,
      hop: o.separate ? 0 : 1,
      initiator: AUTH,
      url: IDP_AUTHORIZE,
      status: 200,
      responseHeaders: { 'content-type': 'text/html' },
    });
  }
  const loginReq = r.newRequestId();
  r.wait(5000).add({
    requestId: loginReq,
    method: 'POST',
    initiator: IDP,
    url: `${IDP}/0b7c5b1e/login`,
    form: { login: ['dr@hospital.org'], passwd: ['…[8]'] },
    status: 302,
    location: IDP_CALLBACK,
    responseHeaders: { location: IDP_CALLBACK },
  });
  const again = `${authorize}&initialRequestId=7d1c0b5e-3a9f-4e21-b6d8-0c4f2a9e8b13`;
  const hop = (n: number) =>
    o.separate ? { requestId: r.newRequestId(), hop: 0 } : { requestId: loginReq, hop: n };
  r.add({
    ...hop(1),
    initiator: IDP,
    url: IDP_CALLBACK,
    ...redirectTo(again),
  });
  r.add({
    ...hop(2),
    initiator: IDP,
    url: again,
    ...redirectTo(APP_CALLBACK),
  });
  r.add({ source: 'webNavigation', url: APP_CALLBACK });
  if (o.token) {
    r.wait(120);
    tokenPost(r);
    fhirGet(r, 'Patient/12724066');
  }
  return r.out;
}

function only(exchanges: Exchange[]): Launch {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const kindAt = (l: Launch, url: string) => l.steps.filter((s) => s.exchange.url === url).map((s) => s.kind);
const rules = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);

describe("an identity provider's OIDC leg is part of the login", () => {
  it.each<[string, Shape]>([
    ['one redirect chain', {}],
    ['hops recorded apart', { separate: true }],
    ["the provider's authorize not recorded", { noIdpAuthorize: true }],
  ])('%s: the callback at the app is the only callback', (_name, shape) => {
    const l = only(federated(shape));
    expect(kindAt(l, IDP_CALLBACK)).toEqual(['idp-login']);
    if (!shape.noIdpAuthorize) expect(kindAt(l, IDP_AUTHORIZE)).toEqual(['idp-login']);
    expect(l.steps.filter((s) => s.kind === 'callback').map((s) => s.exchange.url)).toEqual([APP_CALLBACK]);
    // The provider's request declares nothing of the app's.
    expect(l.redirectUri).toBe(`${APP}/index.html`);
    expect(l.state).toBe(STATE);
  });

  it('without a visible token request: authorized at the app, not state lost at the server', () => {
    const l = only(federated());
    expect(rules(l)).not.toContain('error:state-lost');
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toContain(APP);
  });

  it('with its token request: succeeded, like a launch without federation', () => {
    const l = only(federated({ token: true }));
    expect(l.status).toBe('succeeded');
    expect(l.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it("an app whose redirect_uri is at the server's host keeps its callback there", () => {
    const r = new Recorder();
    launchStart(r);
    const redirect = `${AUTH}/app/callback`;
    const callback = `${redirect}?code=${encodeURIComponent(CODE)}&state=${STATE}`;
    r.add({
      initiator: APP,
      url: authorizeUrl({ redirectUri: redirect }),
      ...redirectTo(callback),
    });
    r.add({ source: 'webNavigation', url: callback });
    expect(kindAt(only(r.out), callback)).toEqual(['callback']);
  });

  it('incremental analysis agrees with a fresh one as the exchanges arrive', () => {
    const json = (list: Exchange[]) => JSON.stringify(analyze(list));
    const live: Exchange[] = [];
    for (const ex of federated({ token: true })) {
      live.push(ex);
      expect(json(live)).toBe(json(structuredClone(live)));
    }
  });
});
