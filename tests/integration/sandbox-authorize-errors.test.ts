/** Authorize errors answered the Oracle way: error pages for untrustworthy requests, else error + error_uri. */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { CookieJar, send } from './sandbox-client';
import {
  type AuthorizeInput,
  authorizeUrl,
  consoleLaunch,
  MYRECORD,
  PROBE_REDIRECT,
  TENANT,
  urnOf,
  walk,
} from './sandbox-flow';

const sandbox = sandboxForFile('sandbox-authz');

const URN = 'urn:cerner:error:authorization-server:';

describe('authorize errors that go to an error page (no redirect to the app)', () => {
  const cases: [string, (launch: string) => string, string][] = [
    [
      'unknown client',
      (launch) => authorizeUrl({ clientId: 'no-such-client', launch }),
      'oauth2:grant:unknown-client',
    ],
    [
      'redirect_uri not registered',
      (launch) => authorizeUrl({ redirectUri: 'https://evil.example/cb', launch }),
      'oauth2:grant:redirect-uri-not-registered',
    ],
    [
      'redirect_uri with an extra trailing slash',
      (launch) => authorizeUrl({ redirectUri: `${PROBE_REDIRECT}/`, launch }),
      'oauth2:grant:invalid-redirect-uri-trailing-slash',
    ],
    [
      'relative redirect_uri',
      (launch) => authorizeUrl({ redirectUri: '/probe/callback', launch }),
      'oauth2:grant:redirect-uri-not-absolute',
    ],
    [
      'unknown tenant',
      (launch) => authorizeUrl({ launch }).replace(TENANT, '00000000-0000-4000-8000-000000000000'),
      'oauth2:grant:unknown-tenant',
    ],
    [
      'duplicated client_id',
      (launch) => `${authorizeUrl({ launch })}&client_id=sandbox-probe`,
      'oauth2:grant:invalid-request',
    ],
    [
      'invalid percent-encoding in client_id',
      (launch) => authorizeUrl({ launch }).replace('client_id=sandbox-probe', 'client_id=%E0%A4%A%zz'),
      'oauth2:grant:unknown-client',
    ],
  ];
  it.each(cases)('%s → 303 to /errors/<URN>/instances/<uuid>', async (_name, build, urn) => {
    const { launch } = await consoleLaunch(sandbox());
    const reply = await send(sandbox(), build(launch));
    expect(reply.status).toBe(303);
    const location = new URL(reply.location ?? '');
    expect(location.origin).toBe('https://authorization.cerner.com');
    expect(location.pathname).toMatch(
      new RegExp(
        `^/errors/${encodeURIComponent(URN + urn).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/instances/[0-9a-f-]{36}$`,
      ),
    );
    expect(location.searchParams.get('tenant')).not.toBeNull();
    const page = await send(sandbox(), location.toString());
    expect(page.status).toBe(200);
    expect(page.body).toContain(URN + urn);
  });
});

describe('authorize errors returned to the app with error + error_uri', () => {
  const cases: [string, (launch: string) => AuthorizeInput, string, string][] = [
    [
      'aud missing',
      (launch) => ({ launch, aud: '' }),
      'invalid_request',
      'smart-v1:grant:launch:audience-required',
    ],
    [
      'aud on fhir-open',
      (launch) => ({ launch, aud: `https://fhir-open.cerner.com/r4/${TENANT}` }),
      'invalid_request',
      'smart-v1:grant:launch:unknown-resource-server',
    ],
    [
      'aud for the patient host from a provider launch',
      (launch) => ({ launch, aud: MYRECORD }),
      'invalid_request',
      'smart-v1:grant:launch:audience-not-white-listed',
    ],
    [
      'invented launch code',
      () => ({ launch: 'not-a-launch' }),
      'invalid_request',
      'smart-v1:grant:launch:invalid-code',
    ],
    [
      'launch scope without launch',
      () => ({}),
      'invalid_request',
      'smart-v1:grant:launch:launch-code-required',
    ],
    [
      'provider app on the patient persona',
      (launch) => ({ launch, persona: 'patient' }),
      'unauthorized_client',
      'oauth2:grant:client-persona-mismatch',
    ],
    [
      'response_type=token',
      (launch) => ({ launch, extra: { response_type: 'token' } }),
      'unsupported_response_type',
      'oauth2:grant:unsupported-response-type',
    ],
    [
      'PKCE method plain',
      (launch) => ({ launch, extra: { code_challenge: 'abc', code_challenge_method: 'plain' } }),
      'invalid_request',
      'oauth2:grant:invalid-request',
    ],
    [
      'only wildcard scopes',
      (launch) => ({ launch, scope: 'patient/*.read user/*.*' }),
      'invalid_scope',
      'oauth2:grant:invalid-request',
    ],
  ];
  it.each(cases)('%s → %s', async (_name, input, error, urn) => {
    const { launch, iss } = await consoleLaunch(sandbox());
    const params = { aud: iss, state: 'keep-me', ...input(launch) };
    let url = authorizeUrl(params);
    if (params.aud === '') url = url.replace(/&aud=(?=&|$)/, '');
    const reply = await send(sandbox(), url);
    expect(reply.status).toBe(302);
    const back = new URL(reply.location ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(PROBE_REDIRECT);
    expect(back.searchParams.get('error')).toBe(error);
    expect(urnOf(back.searchParams.get('error_uri'))).toBe(URN + urn);
    expect(back.searchParams.get('state')).toBe('keep-me');
    expect(back.searchParams.has('error_description')).toBe(false);
  });

  it('patient scopes on a launch without a patient → access_denied + missing-patient after login', async () => {
    const { launch, iss } = await consoleLaunch(sandbox(), 'sandbox-probe', { USR_PersonId: '4464007' });
    const result = await walk(sandbox(), new CookieJar(), authorizeUrl({ launch, aud: iss }));
    expect(result.callback?.searchParams.get('error')).toBe('access_denied');
    expect(urnOf(result.callback?.searchParams.get('error_uri'))).toBe(`${URN}oauth2:grant:missing-patient`);
  });

  it('a launch for another user than the one logging in → access_denied + mismatchted-identity', async () => {
    const ctx = { PAT_PersonId: '12742400', VIS_EncntrId: '97953477', USR_PersonId: '4464008' };
    const { launch, iss } = await consoleLaunch(sandbox(), 'sandbox-probe', ctx);
    const result = await walk(sandbox(), new CookieJar(), authorizeUrl({ launch, aud: iss }));
    expect(result.callback?.searchParams.get('error')).toBe('access_denied');
    expect(urnOf(result.callback?.searchParams.get('error_uri'))).toBe(
      `${URN}smart-v1:grant:launch:mismatchted-identity`,
    );
  });

  it('accepts the POST form of authorize and continues through the Loading page', async () => {
    const { launch, iss } = await consoleLaunch(sandbox());
    const url = new URL(authorizeUrl({ launch, aud: iss }));
    const reply = await send(sandbox(), `${url.origin}${url.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: url.searchParams.toString(),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Loading...');
    expect(reply.body).toContain(encodeURIComponent(`client_id=sandbox-probe`));
  });

  it('runs a standalone patient launch on the patient realm (<tenant>-ch) with nancysmart', async () => {
    const start = authorizeUrl({
      clientId: 'smart-debugger-companion-patient',
      redirectUri: 'https://companion.smartdebugger.test/launch/auth',
      persona: 'patient',
      aud: MYRECORD,
      scope: 'launch/patient openid fhirUser patient/Patient.rs',
    });
    const result = await walk(
      sandbox(),
      new CookieJar(),
      start,
      'https://companion.smartdebugger.test/launch/auth',
      {
        username: 'nancysmart',
        password: 'Cerner01',
      },
    );
    expect(result.hops.some((h) => h.url.includes(`/session-api/realm/${TENANT}-ch?`))).toBe(true);
    expect(result.callback?.searchParams.get('code')).toBeTruthy();
  });
});
