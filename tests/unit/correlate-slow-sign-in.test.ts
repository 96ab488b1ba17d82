/**
 * A launch that pauses long while signing in (an MFA code at the identity provider, a consent page
 * read slowly, a launch page left open) stays one launch; a failed launch replayed later does not
 * take the replay. Pages of the authorization server that no path names (consent) are sign-in steps.
 */
import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { type ProxyEntry, proxyHar } from '../fixtures/har/proxy-har';

const TENANT = '5b3c1e7a-90d2-4f3e-a6b1-7c2d8e9f0a14';
const ISS = `https://fhir-ehr.cerner.com/r4/${TENANT}`;
const AUTHORIZE = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const TOKEN = `https://authorization.cerner.com/tenants/${TENANT}/hosts/fhir-ehr.cerner.com/protocols/oauth2/profiles/smart-v1/token`;
const APP = 'https://cardio.example-vendor.com';
const IDP = 'https://sso.example-health.org/adfs/ls/';
const STATE = 'luIgW9KU9Bfaa7fQ2x';
const LAUNCH = '680d9f1f-9b63-2e76-6825-03946e98c9b5';
const AUTH = `${AUTHORIZE}?response_type=code&client_id=cardio&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&launch=${LAUNCH}&scope=${encodeURIComponent('launch openid fhirUser user/Patient.read')}&state=${STATE}&aud=${encodeURIComponent(ISS)}`;
const T0 = Date.UTC(2026, 11, 4, 13, 0, 0);

type Step = Omit<ProxyEntry, 'startedDateTime'> & { at: number };
const page = (at: number, url: string, status: number, more: Partial<Step> = {}): Step => ({
  at,
  url,
  status,
  ...more,
});

function read(steps: Step[]): Launch[] {
  return analyze(
    importHar(
      proxyHar(steps.map(({ at, ...e }) => ({ ...e, startedDateTime: new Date(T0 + at).toISOString() }))),
      'slow.har',
      'imp',
    ),
  );
}

/** The launch up to the identity provider's page, at `t` ms. */
const toIdp = (): Step[] => [
  page(0, `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=${LAUNCH}`, 200),
  page(150, `${ISS}/.well-known/smart-configuration`, 200, {
    type: 'fetch',
    body: JSON.stringify({ authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN }),
  }),
  page(300, AUTH, 302, { location: `${IDP}?SAMLRequest=abc` }),
  page(400, `${IDP}?SAMLRequest=abc`, 200),
];
const MIN = 60_000;
const afterSignIn = (t: number): Step[] => [
  page(t, IDP, 302, { method: 'POST', post: 'UserName=dr&Password=pw-123456', location: AUTH }),
  page(t + 100, AUTH, 302, { location: `${APP}/callback?code=c0de-1234567890abcdef&state=${STATE}` }),
  page(t + 200, `${APP}/callback?code=c0de-1234567890abcdef&state=${STATE}`, 200),
  page(t + 300, TOKEN, 200, {
    method: 'POST',
    type: 'fetch',
    post: `grant_type=authorization_code&code=c0de-1234567890abcdef&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&client_id=cardio`,
    body: JSON.stringify({
      access_token: 'at-0123456789abcdef',
      token_type: 'Bearer',
      expires_in: 570,
      scope: 'launch openid fhirUser user/Patient.read',
      patient: '1',
    }),
  }),
  page(t + 700, `${ISS}/Patient/1`, 200, { type: 'fetch', body: '{"resourceType":"Patient"}' }),
];

describe('a launch that pauses while signing in', () => {
  it('11 minutes at the identity provider (an MFA code): one launch, succeeded, its login POST in it', () => {
    const launches = read([...toIdp(), ...afterSignIn(11 * MIN)]);
    expect(launches.map((l) => l.status)).toEqual(['succeeded']);
    expect(launches[0]!.steps.some((s) => s.exchange.method === 'POST' && s.kind === 'idp-login')).toBe(true);
  });

  it('a launch value sent 45 minutes after the EHR issued it, refused: one launch, its age named', () => {
    const refused = `${APP}/callback?error=invalid_request&error_uri=${encodeURIComponent(`https://authorization.cerner.com/errors/${encodeURIComponent('urn:cerner:error:authorization-server:smart-v1:grant:launch:invalid-code')}/instances/1`)}&state=${STATE}`;
    const launches = read([
      page(0, `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=${LAUNCH}`, 200),
      page(150, `${ISS}/.well-known/smart-configuration`, 200, {
        type: 'fetch',
        body: JSON.stringify({ authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN }),
      }),
      page(45 * MIN, AUTH, 302, { location: refused }),
      page(45 * MIN + 100, refused, 200),
    ]);
    expect(launches.map((l) => l.status)).toEqual(['failed']);
    expect(launches[0]!.findings[0]!.summary).toContain('sent 45 min after the EHR launched the app');
  });

  it('a failed launch (its last step refused) does not take the same launch opened again 20 minutes later', () => {
    const first = [...toIdp().slice(0, 3), page(400, `${IDP}?SAMLRequest=abc`, 400)];
    const again = first.map((s) => ({ ...s, at: s.at + 20 * MIN }));
    expect(read([...first, ...again])).toHaveLength(2);
  });
});

describe('pages of the authorization server that no path names', () => {
  const consent = `${AUTHORIZE}/consent?requestId=ca37c289`;
  it('a consent POST answered 400 "session expired": the launch failed there, in the page’s words', () => {
    const [l, ...more] = read([
      ...toIdp().slice(0, 2),
      page(300, AUTH, 302, { location: consent }),
      page(400, consent, 200),
      page(5_400, consent, 400, {
        method: 'POST',
        post: 'decision=allow',
        response: {
          content: {
            mimeType: 'text/html',
            text: '<html><body><h1>Your session has expired</h1><p>Please try again.</p></body></html>',
          },
        },
      }),
    ]);
    expect(more).toEqual([]);
    expect(l!.status).toBe('failed');
    expect(l!.steps.at(-1)!.label).toBe('consent page POST …/authorize/consent');
    expect(l!.statusReason).toContain('The server said: “Your session has expired Please try again.”');
    // Sent 5 s after the page came: no wait to speak of.
    expect(l!.statusReason).not.toContain('after the step before it');
  });

  it('a page the path names as no consent (a patient picker) is a sign-in page', () => {
    const picker = `${AUTHORIZE}/patient-picker?requestId=ca37c289`;
    const [l] = read([
      ...toIdp().slice(0, 2),
      page(300, AUTH, 302, { location: picker }),
      page(400, picker, 400, {
        response: { content: { mimeType: 'text/html', text: '<h1>Bad request</h1>' } },
      }),
    ]);
    expect(l!.steps.at(-1)!.label).toBe('sign-in page GET …/authorize/patient-picker');
  });

  it('the same POST 11 minutes after the page came: the wait is named as the likely cause', () => {
    const [l] = read([
      ...toIdp().slice(0, 2),
      page(300, AUTH, 302, { location: consent }),
      page(400, consent, 200),
      page(400 + 11 * MIN, consent, 400, {
        method: 'POST',
        post: 'decision=allow',
        response: { content: { mimeType: 'text/html', text: '<h1>Your session has expired</h1>' } },
      }),
    ]);
    expect(l!.status).toBe('failed');
    expect(l!.statusReason).toContain(
      'It was sent 11 min after the step before it (consent page GET …/authorize/consent) was answered',
    );
  });
});
