import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../utils/launch/classify';
import type { Exchange, StepKind } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';

const T = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const AUTH = 'https://authorization.cerner.com';
const ISS = `https://fhir-ehr-code.cerner.com/r4/${T}`;

const ex = makeExchange;

describe('classify', () => {
  it.each<[string, Partial<Exchange> & { url: string }, StepKind, string]>([
    [
      'Code Console',
      { url: `https://smart.cerner.com/smart/${T}/apps/abcd1234-0000?PAT_PersonId=1`, status: 302 },
      'ehr-launch',
      'EHR app launch (app abcd…)',
    ],
    [
      'preauth',
      { url: `https://smart.cerner.com/smart/user/preauth?context_id=c1&tenant=${T}` },
      'ehr-launch',
      'EHR preauth',
    ],
    [
      'EHR launch URL',
      {
        source: 'webNavigation',
        url: `http://localhost:5173/launch.html?iss=${encodeURIComponent(ISS)}&launch=c1`,
      },
      'ehr-launch',
      'app launch URL (iss + launch)',
    ],
    [
      'EHR launch URL at a login-like path',
      {
        source: 'webNavigation',
        url: `http://localhost:5173/login?iss=${encodeURIComponent(ISS)}&launch=c1`,
      },
      'ehr-launch',
      'app launch URL (iss + launch)',
    ],
    [
      'EHR launch URL at /sso',
      { url: `https://app.test/sso/?iss=${encodeURIComponent(ISS)}&launch=c1` },
      'ehr-launch',
      'app launch URL (iss + launch)',
    ],
    ['IdP login page', { url: 'https://idp.test/login?client=portal' }, 'idp-login', 'IdP login'],
    [
      'IdP login page with an OIDC login hint (iss, no launch)',
      { url: `https://idp.test/login?iss=${encodeURIComponent(ISS)}&login_hint=u1` },
      'idp-login',
      'IdP login',
    ],
    [
      'login-like path with iss and launch fetched by script',
      { type: 'xmlhttprequest', url: `https://idp.test/login?iss=${encodeURIComponent(ISS)}&launch=c1` },
      'idp-login',
      'IdP login',
    ],
    [
      'standalone launch',
      { url: `https://app.test/launch?iss=${encodeURIComponent(ISS)}` },
      'standalone-launch',
      'standalone launch (iss)',
    ],
    [
      'discovery',
      { url: `${ISS}/.well-known/smart-configuration` },
      'discovery',
      'discovery (smart-configuration)',
    ],
    ['metadata', { url: `${ISS}/metadata` }, 'metadata', 'FHIR CapabilityStatement'],
    [
      'Oracle authorize 302',
      {
        url: `${AUTH}/tenants/${T}/protocols/oauth2/profiles/smart-v1/personas/patient/authorize?client_id=c&response_type=code`,
        status: 302,
      },
      'authorize',
      'authorize (patient)',
    ],
    [
      'Oracle Loading page',
      {
        url: `${AUTH}/tenants/${T}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?client_id=c`,
        status: 200,
        responseHeaders: { 'content-type': 'text/html;charset=UTF-8' },
      },
      'loading-page',
      'authorize (provider) Loading page',
    ],
    [
      "another server's sign-in page at its authorize endpoint",
      {
        url: 'https://auth.example.net/oauth2/authorize?client_id=c&response_type=code',
        status: 200,
        responseHeaders: { 'content-type': 'text/html' },
      },
      'loading-page',
      'authorize sign-in page',
    ],
    [
      'authorize POST',
      {
        method: 'POST',
        url: `${AUTH}/tenants/${T}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`,
        form: { client_id: ['c'] },
      },
      'authorize',
      'authorize (provider) POST',
    ],
    [
      'generic authorize',
      { url: 'https://auth.example.org/oauth2/authorize?response_type=code&client_id=c' },
      'authorize',
      'authorize',
    ],
    [
      'session-api',
      { url: `${AUTH}/session-api/realm/${T}?to=x&forceAuthn=true` },
      'session-api',
      'session-api realm ec24… forceAuthn',
    ],
    [
      'patient realm',
      { url: `${AUTH}/session-api/realm/${T}-ch?to=x` },
      'session-api',
      'session-api realm ec24…',
    ],
    ['SAML IdP', { url: 'https://idp.test/anything?SAMLRequest=abc' }, 'idp-login', 'IdP login (SAML)'],
    [
      'login form',
      { method: 'POST', url: 'https://idp.test/auth', form: { username: ['portal'], password: ['…[6]'] } },
      'idp-login',
      'IdP login (form)',
    ],
    [
      'error page',
      {
        url: `${AUTH}/errors/${encodeURIComponent('urn:cerner:error:authorization-server:oauth2:grant:unknown-client')}/instances/1?client=c`,
      },
      'error-page',
      'error page grant:unknown-client',
    ],
    [
      'callback code',
      { source: 'webNavigation', url: 'http://localhost:5173/index.html?code=abc…[36]&state=s' },
      'callback',
      'callback (code)',
    ],
    [
      'callback error',
      { source: 'webNavigation', url: 'http://localhost:5173/?error=access_denied&state=s' },
      'callback',
      'callback error=access_denied',
    ],
    [
      'token',
      {
        method: 'POST',
        type: 'fetch',
        url: `${AUTH}/tenants/${T}/protocols/oauth2/profiles/smart-v1/token`,
        form: { grant_type: ['authorization_code'] },
      },
      'token',
      'token (authorization_code)',
    ],
    ['token without form', { method: 'POST', type: 'fetch', url: 'https://as.test/token' }, 'token', 'token'],
    [
      'refresh',
      {
        method: 'POST',
        type: 'fetch',
        url: 'https://as.test/token',
        form: { grant_type: ['refresh_token'] },
      },
      'refresh',
      'token refresh',
    ],
    ['FHIR read', { type: 'fetch', url: `${ISS}/Patient/12724066` }, 'fhir', 'FHIR GET Patient'],
    [
      'FHIR search',
      { type: 'fetch', url: 'https://server.test/fhir/Observation?patient=1' },
      'fhir',
      'FHIR GET Observation',
    ],
    ['JWKS', { url: `${AUTH}/jwk` }, 'jwks', 'JWKS'],
    [
      'anything else',
      { url: `${AUTH}/my-session/status` },
      'other',
      'GET authorization.cerner.com/my-session/status',
    ],
  ])('%s', (_name, partial, kind, label) => {
    const c = classify(ex(partial));
    expect([c.kind, c.label]).toEqual([kind, label]);
  });

  it('never throws on arbitrary URLs, methods and forms', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true })),
        fc.string(),
        fc.dictionary(fc.string(), fc.array(fc.string())),
        fc.option(fc.integer()),
        (url, method, form, status) => {
          const c = classify(ex({ url, method, form, ...(status === null ? {} : { status }) }));
          expect(typeof c.label).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });
});
