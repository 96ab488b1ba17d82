import { describe, expect, it } from 'vitest';
import { isRelevant } from '../../utils/capture/relevance';
import { pageWords } from '../../utils/diagnose/errors';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';

/**
 * An authorization server that refuses an authorize request with a page of its own (RFC 6749 §4.1.2.1:
 * unknown client, unregistered redirect URI) instead of redirecting back to the app: Keycloak, Epic and
 * most others do so, at paths of their own (`/protocol/openid-connect/auth`).
 */
const APP = 'https://growth.apps.example';
const ISS = 'https://fhir.kc.example/fhir';
const AUTHORIZE = 'https://sso.kc.example/realms/smart/protocol/openid-connect/auth';

function har(
  status: number,
  body: { mimeType: string; text: string },
  location?: string,
  authorize = AUTHORIZE,
): string {
  const t0 = Date.UTC(2026, 0, 5, 9);
  const entry = (i: number, url: string, code: number, type: string, content?: object, to?: string) => ({
    startedDateTime: new Date(t0 + i * 150).toISOString(),
    time: 80,
    request: { method: 'GET', url, headers: [] },
    response: {
      status: code,
      headers: to ? [{ name: 'Location', value: to }] : [],
      ...(to ? { redirectURL: to } : {}),
      ...(content ? { content } : {}),
    },
    _resourceType: type,
  });
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'growth',
    redirect_uri: `${APP}/redirect.html`,
    scope: 'launch openid patient/Patient.rs',
    state: 'st-refused-0123456789abcdef',
    aud: ISS,
    launch: 'L1',
  });
  const discovery = JSON.stringify({
    authorization_endpoint: AUTHORIZE,
    token_endpoint: 'https://sso.kc.example/realms/smart/protocol/openid-connect/token',
  });
  return JSON.stringify({
    log: {
      version: '1.2',
      entries: [
        entry(0, `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=L1`, 200, 'document'),
        entry(1, `${ISS}/.well-known/smart-configuration`, 200, 'fetch', {
          mimeType: 'application/json',
          text: discovery,
        }),
        entry(2, `${authorize}?${q}`, status, 'document', body, location),
      ],
    },
  });
}

const KEYCLOAK_PAGE = {
  mimeType: 'text/html',
  text: '<!DOCTYPE html><html><head><title>Sign in</title><style>.x{color:red}</style></head><body><div class="alert-error"><span>Invalid parameter: redirect_uri</span></div><script>var a = 1;</script></body></html>',
};

describe('an authorize request refused with the server’s own page', () => {
  it('at any path: recorded, and the launch fails there, in the page’s words', () => {
    const launches = analyze(importHar(har(400, KEYCLOAK_PAGE), 'kc.har', 'imp'));
    expect(launches).toHaveLength(1);
    const l = launches[0]!;
    expect(l.steps.map((s) => s.kind)).toEqual(['ehr-launch', 'discovery', 'authorize']);
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'unexplained-failure',
      title: 'Authorization request refused',
    });
    expect(l.statusReason).toMatch(
      /^Authorization request refused: .*RFC 6749 §4\.1\.2\.1.*client_id is unknown or its redirect_uri is not registered.* The server said: “Invalid parameter: redirect_uri”\.$/,
    );
    expect(l.findings[0]!.fixes[0]).toMatchObject({ kind: 'advice' });
  });

  it('a JSON error body: its description', () => {
    const json = {
      mimeType: 'application/json',
      text: '{"error":"invalid_client","error_description":"Client not found"}',
    };
    const [l] = analyze(importHar(har(400, json), 'kc.har', 'imp'));
    expect(l!.statusReason).toMatch(/The server said: “Client not found”\.$/);
  });

  it('a JSON OAuth error other than the client’s or the redirect’s: what that error means, not the registration check', () => {
    const json = {
      mimeType: 'application/json',
      text: JSON.stringify({
        error: 'unauthorized_client',
        error_description: "Client 'growth' is not allowed to request scope 'launch' in realm 'smart'",
      }),
    };
    const [l] = analyze(importHar(har(400, json), 'kc.har', 'imp'));
    expect(l!.status).toBe('failed');
    expect(l!.findings[0]).toMatchObject({ title: 'Authorization request refused (unauthorized_client)' });
    expect(l!.findings[0]!.summary).toMatch(
      /an OAuth error as JSON \(unauthorized_client\).*not allowed to make this request/,
    );
    expect(l!.findings[0]!.summary).not.toContain('a page of its own');
    expect(l!.findings[0]!.summary).toContain("not allowed to request scope 'launch'");
  });

  it('a 500 at authorize: a fault of the server, or a value it could not handle (a launch value), in its words', () => {
    const page = {
      mimeType: 'text/html',
      text: '<html><body><h1>Invalid launch context: the launch token expired</h1></body></html>',
    };
    const [l] = analyze(importHar(har(500, page), 'kc.har', 'imp'));
    expect(l!.status).toBe('failed');
    expect(l!.findings[0]!.summary).toMatch(/expired or unknown launch value/);
    expect(l!.findings[0]!.summary).toContain(
      'The server said: “Invalid launch context: the launch token expired”',
    );
  });

  it('not on Oracle, whose answer to an unknown client is its /errors/ page', () => {
    const oracle =
      'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/personas/provider/authorize';
    const [l] = analyze(importHar(har(400, KEYCLOAK_PAGE, undefined, oracle), 'o.har', 'imp'));
    expect(l!.status).toBe('failed');
    expect(l!.findings.map((f) => f.title)).not.toContain('Authorization request refused');
  });

  it('a redirect back to the app is no such refusal', () => {
    const [l] = analyze(
      importHar(
        har(
          302,
          { mimeType: 'text/html', text: '' },
          `${APP}/redirect.html?error=access_denied&state=st-refused-0123456789abcdef`,
        ),
        'kc.har',
        'imp',
      ),
    );
    expect(l!.findings.map((f) => f.title)).not.toContain('Authorization request refused');
  });
});

describe('isRelevant: OAuth requests by their parameters', () => {
  it.each([
    [`${AUTHORIZE}?response_type=code&client_id=growth&state=s`, true],
    ['https://login.example/oauth2/v2.0/authorize?client_id=a&response_type=code', true],
    [`${APP}/redirect.html#access_token=t&state=s`, true],
    ['https://news.example/page?client_id=a', false],
  ])('%s → %s', (url, relevant) => {
    expect(isRelevant({ url, type: 'main_frame' })).toBe(relevant);
  });
});

describe('pageWords', () => {
  it('an HTML page’s text without markup, scripts and styles; a JSON error’s description; plain text', () => {
    expect(pageWords({ ...KEYCLOAK_PAGE, truncated: false })).toBe('Invalid parameter: redirect_uri');
    expect(pageWords({ text: '{"error":"invalid_request"}', truncated: false })).toBe('invalid_request');
    expect(pageWords({ text: ' Bad  request\n', truncated: false })).toBe('Bad request');
    expect(pageWords({ text: '{broken', truncated: false })).toBeUndefined();
    expect(pageWords(undefined)).toBeUndefined();
  });
});
