import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import { APP, CODE, mask, ISS as ORACLE_ISS, Recorder, tokenPost } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

/** A SMART server that is not Oracle's: its CORS answers are its own, nothing the reference says applies. */
const ISS = 'https://api.example-ehr.org/fhir/r4';
const AUTH = 'https://auth.example-ehr.org';
const TOKEN = `${AUTH}/auth/token`;
const BLOCKED = { phase: 'failed', error: 'net::ERR_FAILED', responseHeaders: {} } as const;
const COOKIES = { count: 2, bytes: 64, names: ['sid', 'xsrf'] };

/** Launch URL, discovery, authorize and the callback of a launch against the generic server. */
function genericCallback(r: Recorder) {
  r.add({ source: 'webNavigation', url: `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=lc-0808` });
  r.add({
    type: 'fetch',
    initiator: APP,
    url: `${ISS}/.well-known/smart-configuration`,
    status: 200,
    responseHeaders: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
    body: {
      text: JSON.stringify({
        authorization_endpoint: `${AUTH}/auth/authorize`,
        token_endpoint: TOKEN,
        code_challenge_methods_supported: ['S256'],
        capabilities: ['launch-ehr'],
      }),
      mimeType: 'application/json',
      truncated: false,
    },
  });
  const q = `response_type=code&client_id=rx-helper-dev&scope=${encodeURIComponent('launch openid fhirUser patient/*.rs')}&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&aud=${encodeURIComponent(ISS)}&state=e1d2c3b4a5968778695a4b3c2d1e0f9a&launch=lc-0808`;
  const callback = `${APP}/callback?code=${encodeURIComponent(CODE)}&state=e1d2c3b4a5968778695a4b3c2d1e0f9a`;
  r.add({
    initiator: APP,
    url: `${AUTH}/auth/authorize?${q}`,
    status: 302,
    location: callback,
    responseHeaders: { location: callback },
  });
  r.add({ source: 'webNavigation', url: callback });
}

function tokenRequest(extra: Partial<Exchange> = {}): Partial<Exchange> & { url: string } {
  return {
    type: 'fetch',
    method: 'POST',
    initiator: APP,
    url: TOKEN,
    form: {
      grant_type: ['authorization_code'],
      code: [CODE],
      redirect_uri: [`${APP}/callback`],
      code_verifier: [mask('PROBEVERIFIER-08-qwertyuiopasdfghjklzxcvbnm12345')],
    },
    ...extra,
  };
}

/** The generic launch whose token request the browser blocked. */
function genericTokenBlocked(extra: Partial<Exchange> = {}): Exchange[] {
  const r = new Recorder();
  genericCallback(r);
  r.wait(200).add({ ...tokenRequest(extra), ...BLOCKED });
  return r.out;
}

/** The generic launch with its token, then a FHIR read: its preflight answered `preflight`, the read blocked. */
function genericFhirBlocked(preflight?: Partial<Exchange>, before: Partial<Exchange>[] = []): Exchange[] {
  const r = new Recorder();
  genericCallback(r);
  r.wait(200).add({
    ...tokenRequest(),
    status: 200,
    responseHeaders: { 'content-type': 'application/json', 'access-control-allow-origin': APP },
    body: {
      text: JSON.stringify({
        access_token: mask('opaque'),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'launch openid fhirUser patient/*.rs',
        patient: 'p1',
      }),
      mimeType: 'application/json',
      truncated: false,
    },
  });
  const url = `${ISS}/Observation?patient=p1`;
  for (const b of before) r.add({ type: 'fetch', initiator: APP, url, ...b });
  if (preflight) r.add({ type: 'other', method: 'OPTIONS', initiator: APP, url, ...preflight });
  r.add({ type: 'fetch', initiator: APP, url, ...BLOCKED });
  return r.out;
}

function only(exchanges: Exchange[]): Launch {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const cors = (l: Launch): Finding => {
  const f = l.findings.filter((x) => x.ruleId === 'cors-failure');
  expect(f).toHaveLength(1);
  return f[0]!;
};
const fixText = (f: Finding) => f.fixes.map((x) => x.label).join(' | ');
const evidence = (f: Finding, label: string) => f.evidence.find((e) => e.label === label)?.value;

describe('rule cors-failure: what the capture shows decides the explanation', () => {
  it("Oracle's token endpoint, credentials not visible: its documented ACAO * answer, said as a condition", () => {
    const l = only(loadExchanges('cors-token'));
    const f = cors(l);
    expect(f).toMatchObject({ severity: 'error', title: 'Blocked by CORS' });
    expect(f.summary).toContain("Oracle's token endpoint answers Access-Control-Allow-Origin: *");
    expect(f.summary).toContain('the recording does not show whether this one was');
    expect(fixText(f)).toContain("credentials: 'omit'");
    expect(evidence(f, 'preflight (OPTIONS)')).toBe("none among this launch's steps");
    expect(l.status).toBe('failed');
  });

  it("Oracle's token endpoint with cookies sent: the credentials are named as the cause", () => {
    const r = new Recorder();
    toCallback(r);
    tokenPost(r, { error: 'net::ERR_FAILED' });
    r.out.at(-1)!.requestCookies = COOKIES;
    const f = cors(only(r.out));
    expect(f.summary).toContain(
      "Oracle's token endpoint answers Access-Control-Allow-Origin: *, which browsers refuse for requests sent with credentials, and this request carried 2 cookie(s).",
    );
    expect(f.summary).not.toContain('does not show');
    expect(evidence(f, 'cookies sent')).toBe('2');
    expect(fixText(f)).toContain("credentials: 'omit'");
  });

  it('another server: no word of Oracle or credentials; check its CORS configuration for the origin', () => {
    const l = only(genericTokenBlocked());
    const f = cors(l);
    expect(l.status).toBe('failed');
    expect(f.summary).toBe(
      "The token request from http://localhost:5173 failed without any HTTP status, which is how browsers report a CORS refusal: the server's CORS headers did not allow this request from http://localhost:5173. A form POST needs no preflight: the browser sent it and kept only the answer from the page, so the server may have issued a token and used up the code; launch again rather than retrying with the same code.",
    );
    expect(f.summary).not.toMatch(/Oracle|credentials/);
    expect(fixText(f)).not.toMatch(/credentials: 'omit'/);
    expect(fixText(f)).toMatch(/^Check the server's CORS configuration for http:\/\/localhost:5173: /);
    expect(fixText(f)).toContain('POST in Access-Control-Allow-Methods');
    expect(fixText(f)).toContain('Access-Control-Allow-Headers (Authorization by name');
  });

  it('another server, cookies sent: what a credentialed request needs from it', () => {
    const f = cors(only(genericTokenBlocked({ requestCookies: COOKIES })));
    expect(f.summary).toContain(
      'It carried 2 cookie(s): a request with credentials needs Access-Control-Allow-Origin naming the origin (not *) and Access-Control-Allow-Credentials: true.',
    );
    expect(f.summary).not.toContain('Oracle');
  });

  it("a token request's preflight joins its launch, and its answer is the evidence", () => {
    const r = new Recorder();
    genericCallback(r);
    const pf = r.wait(200).add({
      type: 'other',
      method: 'OPTIONS',
      initiator: APP,
      url: TOKEN,
      status: 204,
      responseHeaders: { 'access-control-allow-origin': '*' },
    });
    r.add({ ...tokenRequest({ requestCookies: COOKIES }), ...BLOCKED });
    const l = only(r.out);
    expect(l.steps.map((s) => s.exchange.method)).toContain('OPTIONS');
    const f = cors(l);
    expect(f.summary).toContain(
      'Its preflight (OPTIONS to the same URL) was answered 204: it allows any origin (*), which browsers refuse for a request sent with credentials, and the request carried 2 cookie(s).',
    );
    expect(evidence(f, 'preflight')).toBe('OPTIONS → 204');
    expect(evidence(f, 'Access-Control-Allow-Origin (preflight)')).toBe('*');
    expect(f.evidence.find((e) => e.label === 'preflight')?.exchangeId).toBe(pf.id);
  });

  it('a token preflight that allowed the origin but no headers: the missing Access-Control-Allow-Headers', () => {
    const text = readFileSync(
      new URL('../fixtures/har/classes/cors-token-preflight-headers.chrome.har', import.meta.url),
      'utf8',
    );
    const l = only(importHar(text, 'cors-token-preflight-headers.chrome.har', 'imp'));
    expect(l.steps.map((s) => `${s.exchange.method} ${s.kind}`)).toEqual([
      'GET ehr-launch',
      'GET discovery',
      'GET authorize',
      'GET callback',
      'OPTIONS other',
      'POST token',
    ]);
    const f = cors(l);
    // A preflight went first: whether the POST itself was sent is not known.
    expect(f.summary).not.toContain('used up the code');
    expect(f.summary).toContain(
      'Its preflight (OPTIONS to the same URL) was answered 204 and allowed *; its answer has no Access-Control-Allow-Headers',
    );
    expect(f.summary).not.toContain('Oracle');
  });

  it.each([
    ['content-type', 'its Access-Control-Allow-Headers (content-type) does not list Authorization'],
    [
      'Authorization, Content-Type',
      'its Access-Control-Allow-Headers (Authorization, Content-Type) lists Authorization',
    ],
  ])('a preflight allowing the headers %s: what it lists is said', (headers, said) => {
    const f = cors(
      only(
        genericFhirBlocked({
          status: 204,
          responseHeaders: {
            'access-control-allow-origin': APP,
            'access-control-allow-methods': 'GET',
            'access-control-allow-headers': headers,
          },
        }),
      ),
    );
    expect(f.summary).toContain(said);
  });

  it('a FHIR preflight answered for another origin', () => {
    const f = cors(
      only(
        genericFhirBlocked({
          status: 204,
          responseHeaders: { 'access-control-allow-origin': 'https://other.example' },
        }),
      ),
    );
    expect(f.summary).toContain(
      'Its preflight (OPTIONS to the same URL) was answered 204: it allows https://other.example, not http://localhost:5173.',
    );
    expect(evidence(f, 'Access-Control-Allow-Origin (preflight)')).toBe('https://other.example');
    expect(fixText(f)).toContain('GET in Access-Control-Allow-Methods');
  });

  it('a FHIR preflight refused, without Access-Control-Allow-Origin', () => {
    const f = cors(only(genericFhirBlocked({ status: 500, responseHeaders: {} })));
    expect(f.summary).toContain(
      'was answered 500: a preflight must be answered with a 2xx status; its answer has no Access-Control-Allow-Origin.',
    );
    expect(evidence(f, 'Access-Control-Allow-Origin (preflight)')).toBe('(none)');
  });

  it('a FHIR preflight that allowed the origin: the unrecorded methods and headers are named as where to look', () => {
    const f = cors(
      only(genericFhirBlocked({ status: 204, responseHeaders: { 'access-control-allow-origin': APP } })),
    );
    expect(f.summary).toContain(
      `was answered 204 and allowed ${APP}; the methods and headers it allowed are not recorded`,
    );
  });

  it('other reads of the same server passed its CORS check: an answer without CORS headers, not its configuration', () => {
    const ok = { status: 200, responseHeaders: { 'access-control-allow-origin': APP } };
    const f = cors(only(genericFhirBlocked(undefined, [ok, ok])));
    expect(f.title).toBe('Answer hidden by CORS (likely an error answer)');
    expect(f.summary).toMatch(/\d+ other requests from .* passed its CORS check in this launch/);
    expect(f.summary).toContain('a gateway or proxy');
    expect(fixText(f)).not.toContain("Check the server's CORS configuration");
    // Nothing of it passed: its configuration, as before.
    expect(cors(only(genericFhirBlocked())).title).toBe('Blocked by CORS');
  });

  it("a preflight that belonged to an earlier request to the URL is not this request's", () => {
    const ok = { status: 200, responseHeaders: { 'access-control-allow-origin': APP } };
    const f = cors(only(genericFhirBlocked(undefined, [{ type: 'other', method: 'OPTIONS', ...ok }, ok])));
    expect(evidence(f, 'preflight (OPTIONS)')).toBe("none among this launch's steps");
    expect(evidence(f, 'preflight')).toBeUndefined();
  });

  it("Oracle's FHIR server: the preflight as evidence, the registration advice as before", () => {
    const text = readFileSync(
      new URL('../fixtures/har/classes/cors-fhir.chrome.har', import.meta.url),
      'utf8',
    );
    const f = cors(only(importHar(text, 'cors-fhir.chrome.har', 't')));
    expect(f.summary).toContain(
      'Its preflight (OPTIONS to the same URL) was answered 403: a preflight must be answered with a 2xx status; its answer has no Access-Control-Allow-Origin.',
    );
    expect(fixText(f)).toBe(
      "Register the app's origin with the server (v2: token and FHIR are open to registered origins only).",
    );
  });

  it("Oracle's FHIR server, a preflight that allowed the origin: not the registration, the request's headers", () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r);
    const url = `${ORACLE_ISS}/Binary/b1`;
    r.add({
      type: 'other',
      method: 'OPTIONS',
      initiator: APP,
      url,
      status: 204,
      responseHeaders: {
        'access-control-allow-origin': APP,
        'access-control-allow-headers': 'authorization',
      },
    });
    r.add({ type: 'fetch', initiator: APP, url, ...BLOCKED });
    const f = cors(only(r.out));
    expect(fixText(f)).toMatch(/^Check the server's CORS configuration for /);
    expect(fixText(f)).not.toContain("Register the app's origin");
  });

  it("Oracle's FHIR server without a preflight: unchanged", () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r);
    r.add({ type: 'fetch', initiator: APP, url: `${ORACLE_ISS}/Patient/12724066`, ...BLOCKED });
    const f = cors(only(r.out));
    expect(f.summary).toBe(
      `FHIR GET Patient from ${APP} failed without any HTTP status, which is how browsers report a CORS refusal; the server does not allow this origin.`,
    );
    expect(fixText(f)).toBe(
      "Register the app's origin with the server (v2: token and FHIR are open to registered origins only).",
    );
    expect(evidence(f, 'preflight (OPTIONS)')).toBe("none among this launch's steps");
  });
});
