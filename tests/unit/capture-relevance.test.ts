import { describe, expect, it } from 'vitest';
import { isRelevant, isStripRewrite, watchPatternFor } from '../../utils/capture';

const enc = encodeURIComponent;

describe('isRelevant', () => {
  it.each([
    ['https://authorization.cerner.com/tenants/t/authorize?x=1', 'main_frame', true],
    ['https://fhir-ehr-code.cerner.com/r4/t/Patient/1', 'fetch', true],
    ['https://smart.cerner.com/smart/t/apps/a', 'main_frame', true],
    ['https://authorization.cerner.com/assets/app.js', 'script', false],
    // A proxy's file names no types: Oracle's page assets are known by their paths.
    ['https://authorization.cerner.com/favicon.ico', undefined, false],
    ['https://authorization.cerner.com/assets/js/session-loader.3f9a.js', undefined, false],
    [
      'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/jwks.json',
      undefined,
      true,
    ],
    ['https://launch.smarthealthit.org/v/r4/fhir/.well-known/smart-configuration', 'fetch', true],
    ['https://idp.example/oauth2/authorize?client_id=x', 'main_frame', true],
    ['https://idp.example/oauth2/token', 'fetch', true],
    ['https://hapi.example/baseR4/Observation?patient=1', 'xmlhttprequest', true],
    ['http://localhost:4173/launch.html?iss=https%3A%2F%2Ff&launch=abc', 'main_frame', true],
    // A standalone launch URL: the FHIR server alone, on a page load (webNavigation has no type).
    ['https://app.example/launch.html?iss=https%3A%2F%2Ffhir.example%2Fr4', 'main_frame', true],
    ['https://app.example/launch.html?iss=https://fhir.example/r4', undefined, true],
    ['https://app.example/api/check?iss=https%3A%2F%2Ffhir.example', 'fetch', false],
    ['https://app.example/page?iss=acme', 'main_frame', false],
    // OpenID third-party login (LTI 1.3's initiation): its iss is a sign-in server, not a FHIR server.
    [
      'https://tool.example/lti/init?iss=https%3A%2F%2Fcanvas.example&login_hint=1&target_link_uri=x',
      'main_frame',
      false,
    ],
    ['http://localhost:4173/?code=x&state=y', 'main_frame', true],
    ['http://localhost:4173/#error=access_denied&state=y', 'main_frame', true],
    ['http://localhost:4173/assets/index.js', 'script', false],
    ['http://localhost:4173/index.html', 'main_frame', false],
    ['https://news.example/?code=1', 'main_frame', false],
    ['https://www.google.com/search?q=Patient', 'main_frame', false],
    ['chrome-extension://abc/popup.html?iss=a&launch=b', 'main_frame', false],
    ['not a url', undefined, false],
  ])('%s (%s) → %s', (url, type, expected) => {
    expect(isRelevant({ url, type })).toBe(expected);
  });

  it('recognises a token POST on any path by its form', () => {
    expect(
      isRelevant({ url: 'https://x.example/oauth/exchange', type: 'fetch', form: { grant_type: ['x'] } }),
    ).toBe(true);
  });
});

describe('isStripRewrite', () => {
  const to = enc('https://authorization.cerner.com/tenants/t/authorize?client_id=a&isForceAuthn=true');
  const toClean = enc('https://authorization.cerner.com/tenants/t/authorize?client_id=a');
  const base = 'https://authorization.cerner.com/session-api/realm/t';
  it.each([
    [`${base}?to=${toClean}&forceAuthn=true`, `${base}?to=${toClean}`, true],
    [`${base}?forceAuthn=true&to=${toClean}`, `${base}?to=${toClean}`, true],
    [`${base}?to=${to}&forceAuthn=true`, `${base}?to=${toClean}`, true],
    [`${base}?to=${to}&ForceAuthn=true`, `${base}?to=${toClean}`, true],
    [`${base}?to=${toClean}&forceAuthn=true`, `${base}?to=${toClean}&forceAuthn=true`, false],
    [`${base}?to=${toClean}&forceAuthn=true&a=1`, `${base}?to=${toClean}`, false],
    [`${base}?to=${toClean}&forceAuthn=true`, `https://other.example/?to=${toClean}`, false],
  ])('%#', (from, to2, expected) => {
    expect(isStripRewrite(from, to2)).toBe(expected);
  });
});

describe('watchPatternFor', () => {
  it.each([
    ['http://localhost:4173/launch.html', 'http://localhost/*'],
    ['https://app.example.org', 'https://app.example.org/*'],
    ['file:///tmp/x', undefined],
    ['chrome://settings', undefined],
    ['garbage', undefined],
  ])('%s → %s', (input, expected) => {
    expect(watchPatternFor(input)).toBe(expected);
  });
});
