import { createRequire } from 'node:module';
import type HttpErrorType from 'fhirclient/lib/HttpError';
import { describe, expect, it } from 'vitest';
import { explainLaunchError, explainOAuthRedirect } from '../../web/src/lib/explain';

// The vitest alias rewrites `fhirclient/*` to the browser entry, so load fhirclient's own HttpError directly.
const HttpError = createRequire(import.meta.url)('fhirclient/lib/HttpError.js')
  .default as typeof HttpErrorType;
const P = 'urn:cerner:error:authorization-server:';
const errorUri = (urn: string) =>
  `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/1b7c?persona=provider`;

describe('OAuth error redirects (error + error_uri)', () => {
  it.each([
    ['access_denied', `${P}oauth2:grant:denied-by-user`, 'Denied by the user', /declined/],
    ['access_denied', `${P}oauth2:grant:missing-patient`, 'No patient in context', /Patient scopes/],
    [
      'invalid_request',
      `${P}smart-v1:grant:launch:launch-code-required`,
      'launch missing',
      /launch parameter/,
    ],
    [
      'invalid_request',
      `${P}smart-v1:grant:launch:invalid-code`,
      'Invalid launch',
      /already used or expired/,
    ],
    ['unauthorized_client', `${P}oauth2:grant:client-persona-mismatch`, 'Persona mismatch', /persona/],
    ['invalid_request', `${P}smart-v1:grant:launch:audience-required`, 'aud missing', /aud/],
    ['invalid_scope', `${P}oauth2:grant:denied-by-server`, 'Denied by the server', /refused/],
    ['access_denied', `${P}grant:session-service:authentication:cancelled`, 'Sign-in cancelled', /cancelled/],
  ])('%s + %s → %s', (error, urn, title, cause) => {
    const p = explainOAuthRedirect(new URLSearchParams({ error, error_uri: errorUri(urn), state: 'abc' }));
    expect(p?.kind).toBe('oauth');
    expect(p?.title).toBe(title);
    expect(p?.causes.join(' ')).toMatch(cause);
    expect(p?.details).toContainEqual({ label: 'Oracle URN', value: urn });
    expect(p?.summary).toContain(`error=${error}`);
  });

  it('falls back to the OAuth code and says the server sent nothing else', () => {
    const p = explainOAuthRedirect(new URLSearchParams({ error: 'access_denied' }));
    expect(p?.title).toBe('Access denied');
    expect(p?.causes).toContain('The server sent no error_uri or description, only the code.');
  });

  it('keeps error_description when a server sends one', () => {
    const p = explainOAuthRedirect(
      new URLSearchParams({ error: 'invalid_scope', error_description: 'bad: x/y' }),
    );
    expect(p?.details).toContainEqual({ label: 'error_description', value: 'bad: x/y' });
  });

  it('names an unknown URN by its last segment', () => {
    const p = explainOAuthRedirect(
      new URLSearchParams({ error: 'server_error', error_uri: `${P}oauth2:grant:brand-new-thing` }),
    );
    expect(p?.title).toBe('brand new thing');
  });

  it('is undefined without an error parameter', () => {
    expect(explainOAuthRedirect(new URLSearchParams({ code: 'x', state: 'y' }))).toBeUndefined();
  });
});

describe('fhirclient and network errors', () => {
  const origin = 'http://127.0.0.1:5173';
  it.each([
    [
      "No 'state' parameter found. Please (re)launch the app.",
      'callback',
      'state-missing',
      /opened directly/,
    ],
    ['No state found! Please (re)launch the app.', 'callback', 'state-lost', /localhost vs 127\.0\.0\.1/],
    [
      'Failed to fetch the conformance statement from "https://fhir-open.cerner.com/r4/t/metadata". HttpError: 404',
      'authorize',
      'discovery',
      /fhir-open/,
    ],
    [
      'Failed to fetch the well-known json "https://x.example/.well-known/smart-configuration". Failed to fetch',
      'authorize',
      'discovery',
      /CORS/,
    ],
    [
      "Required PKCE code challenge method (`S256`) was not found in the server's codeChallengeMethods declaration.",
      'authorize',
      'pkce',
      /S256/,
    ],
    [
      '401 Unauthorized\nURL: https://fhir-ehr-code.cerner.com/r4/ec2458f2/Patient/1\nSession expired! Please re-launch the app',
      'request',
      'expired',
      /570/,
    ],
    [
      '401 Unauthorized\nURL: https://fhir.example.net/r4/Patient/1\nSession expired! Please re-launch the app',
      'request',
      'expired',
      /^(?!.*Oracle).*expires_in says/,
    ],
    ['Failed to obtain access token.', 'callback', 'no-token', /proxy/],
  ] as const)('%s', (message, phase, kind, text) => {
    const p = explainLaunchError(new Error(message), { phase, origin });
    expect(p.kind).toBe(kind);
    expect([p.summary, ...p.causes, ...p.fixes].join(' ')).toMatch(text);
  });

  it('names the page origin when the state is lost', () => {
    const p = explainLaunchError(new Error('No state found! Please (re)launch the app.'), {
      phase: 'callback',
      origin,
    });
    expect(p.details).toContainEqual({ label: "this page's origin", value: origin });
  });

  it.each([
    ['Failed to fetch', 'callback', 'Token request blocked (CORS or network)'],
    ['NetworkError when attempting to fetch resource.', 'refresh', 'Token request blocked (CORS or network)'],
    ['Load failed', 'request', 'Request blocked (CORS or network)'],
  ] as const)('TypeError "%s" during %s is a CORS/network failure', (message, phase, title) => {
    const p = explainLaunchError(new TypeError(message), { phase, origin });
    expect(p.kind).toBe('network');
    expect(p.title).toBe(title);
    expect(p.causes.join(' ')).toContain(origin);
  });

  it('explains a token endpoint HttpError from fhirclient (invalid_grant)', async () => {
    const res = new Response(
      JSON.stringify({ error: 'invalid_grant', error_uri: `${P}oauth2:token:code-invalid-or-expired` }),
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    );
    Object.defineProperty(res, 'url', { value: 'https://authorization.cerner.com/tenants/t/token' });
    const err = await new HttpError(res).parse();
    const p = explainLaunchError(err, { phase: 'callback', origin });
    expect(p.kind).toBe('token');
    expect(p.title).toBe('Token exchange failed: invalid_grant');
    expect(p.causes.join(' ')).toMatch(/already exchanged/);
    expect(p.details).toContainEqual({
      label: 'token endpoint',
      value: 'https://authorization.cerner.com/tenants/t/token',
    });
    expect(p.details).toContainEqual({ label: 'HTTP status', value: '400' });
  });

  it('masks tokens that appear in an error message', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';
    const p = explainLaunchError(new Error(`weird failure with Bearer ${jwt}`), { phase: 'request' });
    expect(JSON.stringify(p)).not.toContain('c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl');
    expect(p.kind).toBe('unknown');
  });

  it('explains a non-Error rejection without crashing', () => {
    expect(explainLaunchError({ odd: true }, { phase: 'authorize' }).summary).toBe('{"odd":true}');
    expect(explainLaunchError(undefined, { phase: 'authorize' }).kind).toBe('unknown');
  });
});
