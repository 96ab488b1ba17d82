import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';

/**
 * An authorization server that federates sign-in to an identity provider (Keycloak's brokers, Entra
 * ID, Okta): it answers the app's authorize request with a redirect to the provider's own authorize
 * request, whose redirect_uri comes back to it, and the provider's answer there goes on to the app.
 * Recorded as a new user records it: discovery's body unread (no DevTools), the provider's host not
 * watched, or nothing watched at all (navigations only).
 */

const APP = 'https://app.kc.test';
const SSO = 'https://sso.kc.test/realms/smart';
const FHIR = 'https://fhir.kc.test/fhir';
const APP_STATE = 'tKfDGiOFLnCMI15P43etClyMkDdbfvFYrcYPHZ0tsp8';
const KC_STATE = 'cTwcTcRwgl5Q';
const appAuthorize = `${SSO}/protocol/openid-connect/auth?${new URLSearchParams({
  response_type: 'code',
  client_id: 'smart-companion',
  scope: 'launch openid fhirUser patient/Patient.rs',
  redirect_uri: `${APP}/launch/auth`,
  aud: FHIR,
  state: APP_STATE,
  launch: 'L1',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
})}`;
const idpAuthorize = `https://idp.corp.test/adfs/oauth2/authorize?${new URLSearchParams({
  client_id: 'keycloak-broker',
  response_type: 'code',
  scope: 'openid',
  redirect_uri: `${SSO}/broker/corp/endpoint`,
  state: KC_STATE,
})}`;
const broker = `${SSO}/broker/corp/endpoint?code=Tg6%E2%80%A6%5B22%5D&state=${KC_STATE}`;
const callback = `${APP}/launch/auth?state=${APP_STATE}&session_state=Dgc-1&iss=${encodeURIComponent(SSO)}&code=e6a%E2%80%A6%5B36%5D`;

function flow(watched: 'app, sso and fhir' | 'nothing'): Exchange[] {
  let t = 1_000;
  const x = (p: Partial<Exchange> & { url: string }) => {
    t += 100;
    return makeExchange({ startedAt: t, completedAt: t + 20, tabId: 7, ...p });
  };
  const nav = (id: string, url: string) => x({ id, source: 'webNavigation', url });
  if (watched === 'nothing') {
    return [
      nav('launch', `${APP}/launch/?iss=${encodeURIComponent(FHIR)}&launch=L1`),
      nav('idp', idpAuthorize),
      nav('cb', callback),
    ];
  }
  const xhr = { type: 'xmlhttprequest', initiator: APP };
  return [
    x({
      id: 'launch',
      requestId: '13',
      url: `${APP}/launch/?iss=${encodeURIComponent(FHIR)}&launch=L1`,
      status: 200,
    }),
    x({ id: 'disc', requestId: '19', ...xhr, url: `${FHIR}/.well-known/smart-configuration`, status: 200 }),
    x({
      id: 'auth',
      requestId: '20',
      url: appAuthorize,
      status: 302,
      location: idpAuthorize,
      initiator: APP,
    }),
    nav('idp', idpAuthorize),
    x({ id: 'broker', requestId: '23', url: broker, status: 302, location: callback }),
    x({ id: 'cb', requestId: '23', hop: 1, url: callback, status: 200 }),
    x({
      id: 'token',
      requestId: '30',
      ...xhr,
      method: 'POST',
      url: `${SSO}/protocol/openid-connect/token`,
      status: 200,
      form: {
        grant_type: ['authorization_code'],
        code: ['e6a…[36]'],
        redirect_uri: [`${APP}/launch/auth`],
        client_id: ['smart-companion'],
        code_verifier: ['dBj…[43]'],
      },
    }),
    x({ id: 'fhir', requestId: '31', ...xhr, url: `${FHIR}/Patient/p-1001`, status: 200 }),
  ];
}

const only = (xs: Exchange[], watchedOrigins?: string[]): Launch => {
  const launches = analyze(xs, { now: 1_000_000, ...(watchedOrigins ? { watchedOrigins } : {}) });
  expect(launches).toHaveLength(1);
  return launches[0]!;
};
const kinds = (l: Launch) => l.steps.map((s) => `${s.kind} ${s.exchange.id}`);

describe("a federated sign-in: the identity provider's authorize request is part of the login, not the app's", () => {
  it('the authorization server watched, the provider not: the app’s callback and token request stay in its launch', () => {
    const l = only(flow('app, sso and fhir'));
    expect(kinds(l)).toEqual([
      'ehr-launch launch',
      'discovery disc',
      'authorize auth',
      'idp-login idp',
      'idp-login broker',
      'callback cb',
      'token token',
      'fhir fhir',
    ]);
    expect(l.status).toBe('succeeded');
    expect(l.clientId).toBe('smart-companion');
    expect(l.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('nothing watched: the callback, which names its issuer (RFC 9207), is the app’s; the fix names that server', () => {
    const l = only(flow('nothing'), []);
    expect(kinds(l)).toEqual(['ehr-launch launch', 'idp-login idp', 'callback cb']);
    expect(l.status).toBe('authorized');
    expect(l.clientId).not.toBe('keycloak-broker');
    // No findings about the provider's request (its client, state, aud, launch).
    expect(l.findings.map((f) => f.ruleId)).toEqual(['token-not-visible']);
    expect(l.findings[0]!.fixes[0]).toMatchObject({
      kind: 'watch-origin',
      origins: ['https://app.kc.test', 'https://sso.kc.test', 'https://fhir.kc.test'],
    });
  });
});

describe('a federated sign-in recorded from navigations only (nothing watched)', () => {
  const nav = (id: string, url: string, startedAt: number, more: Partial<Exchange> = {}) =>
    makeExchange({
      id,
      source: 'webNavigation',
      url,
      startedAt,
      completedAt: startedAt + 20,
      tabId: 7,
      ...more,
    });
  const start = [
    nav('launch', `${APP}/launch/?iss=${encodeURIComponent(FHIR)}&launch=L1`, 1_000),
    nav('idp', idpAuthorize, 1_100),
  ];

  it("the broker's error page after the provider's sign-in: the sign-in failed there, not the app's state", () => {
    const l = only([...start, nav('broker', broker, 1_200, { status: 400 })], []);
    expect(kinds(l)).toEqual(['ehr-launch launch', 'idp-login idp', 'idp-login broker']);
    expect(l.status).toBe('failed');
    expect(l.steps.find((s) => s.exchange.id === l.failedAt)?.exchange.id).toBe('broker');
    expect(l.findings.map((f) => f.ruleId)).not.toContain('state-lost');
    expect(l.clientId).not.toBe('keycloak-broker');
  });

  it('the user cancels at the provider: the app gets access_denied, the launch is cancelled there', () => {
    const denied = `${APP}/launch/auth?error=access_denied&error_description=${encodeURIComponent('Identity provider login was cancelled by the user')}&state=${APP_STATE}&iss=${encodeURIComponent(SSO)}`;
    const l = only([...start, nav('cb', denied, 1_300)], []);
    expect(l.status).toBe('cancelled');
    expect(l.steps.find((s) => s.exchange.id === l.failedAt)?.exchange.id).toBe('cb');
    expect(l.statusReason).toContain('Identity provider login was cancelled by the user');
  });
});
