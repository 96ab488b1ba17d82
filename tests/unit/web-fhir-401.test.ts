import { describe, expect, it } from 'vitest';
import { explainFhir401, parseBearerChallenge } from '../../web/src/lib/explain-fhir-auth';
import { fhirGet } from '../../web/src/lib/fhir-get';
import type { SmokeRead } from '../../web/src/lib/smoke-plan';
import { classifyFhirResponse } from '../../web/src/lib/smoke-run';

const read: SmokeRead = { resourceType: 'Patient', interaction: 'read', path: 'Patient/1', granted: true };

describe('WWW-Authenticate Bearer challenges', () => {
  it.each([
    [
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token", error_description="The access token expired"',
      {
        realm: 'fhir-ehr-code.cerner.com',
        error: 'invalid_token',
        error_description: 'The access token expired',
      },
    ],
    [
      'Bearer error=insufficient_scope, scope="patient/Observation.rs"',
      { error: 'insufficient_scope', scope: 'patient/Observation.rs' },
    ],
    ['Basic realm="x", Bearer realm="api"', { realm: 'api' }],
    ['Bearer', {}],
    ['Bearer realm="say \\"hi\\""', { realm: 'say "hi"' }],
  ])('%s', (header, parsed) => {
    expect(parseBearerChallenge(header)).toEqual(parsed);
  });

  it('is undefined without a Bearer challenge', () => {
    expect(parseBearerChallenge(undefined)).toBeUndefined();
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
  });
});

describe('a FHIR 401', () => {
  it('names an expired token from the header and quotes the server', () => {
    const why = explainFhir401({
      body: '',
      wwwAuthenticate: 'Bearer realm="r", error="invalid_token", error_description="Token is expired"',
    });
    expect(why).toMatch(/^Invalid token: .*expired/);
    expect(why).toContain('The server said: "Token is expired"');
  });

  it('names a missing scope and the scope the server asks for', () => {
    const why = explainFhir401({
      body: '{}',
      wwwAuthenticate: 'Bearer error="insufficient_scope", scope="user/Patient.rs"',
    });
    expect(why).toBe(
      'Missing scope: the access token does not carry a scope for this request (needs user/Patient.rs).',
    );
  });

  it('says the token expired when the token response says so, even without a header or body', () => {
    const why = explainFhir401({ body: '', expiresAt: 1_700_000_000, now: 1_700_000_001 });
    expect(why).toMatch(/^Access token expired: it was valid until 2023-11-14T22:13:20\.000Z/);
  });

  it('does not call a live token expired', () => {
    expect(explainFhir401({ body: '', expiresAt: 1_700_000_600, now: 1_700_000_000 })).not.toMatch(
      /expired:/,
    );
  });

  it('a token called expired while the token response says it is valid: not its expiry', () => {
    const why = explainFhir401({
      body: '',
      wwwAuthenticate: 'Bearer error="invalid_token", error_description="The access token expired"',
      expiresAt: 1_700_003_600,
      now: 1_700_000_005,
    });
    expect(why).toMatch(/^Invalid token: /);
    expect(why).toContain(
      'The token response says it is valid until 2023-11-14T23:13:20.000Z, so this is not its expiry: the token was revoked, was issued for another FHIR server (aud), or the server',
    );
  });

  it('reads a challenge without an error code as "no token it accepts"', () => {
    expect(explainFhir401({ body: '', wwwAuthenticate: 'Bearer realm="fhir"' })).toMatch(
      /^No accepted access token: .*realm fhir/,
    );
  });

  it('still explains a bare 401 with nothing to go on', () => {
    expect(explainFhir401({ body: '' })).toMatch(/expired.*revoked.*another FHIR server.*scope/);
  });

  it('is what a smoke read shows for a 401 whose body does not say invalid_token', () => {
    const r = classifyFhirResponse(read, 401, '', 'Bearer realm="fhir-ehr-code.cerner.com"');
    expect(r.status).toBe('error');
    expect(r.explanation).toMatch(/^No accepted access token/);
    const expired = classifyFhirResponse(read, 401, '', undefined, { expiresAt: 10, now: 20 });
    expect(expired.explanation).toMatch(/^Access token expired/);
  });

  it('is part of the message of a failed resource load', async () => {
    const fetch401 = (async () =>
      new Response('', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="revoked"' },
      })) as typeof fetch;
    const r = await fhirGet(
      { baseUrl: 'https://fhir.example/r4', accessToken: 't', fetch: fetch401 },
      'Patient/1',
    );
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^HTTP 401 for Patient\/1: Invalid token: .*The server said: "revoked"/),
    });
  });
});

describe('a failed resource load other than 401', () => {
  const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
    (async () => new Response(body, { status, headers })) as typeof fetch;
  const load = (fetchImpl: typeof fetch) =>
    fhirGet({ baseUrl: 'https://fhir.example/r4', accessToken: 't', fetch: fetchImpl }, 'Patient/1');

  it('carries the OperationOutcome’s text', async () => {
    const oo = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: 'Database unavailable' }],
    });
    expect(await load(answer(500, oo))).toEqual({
      ok: false,
      message: 'HTTP 500 for Patient/1: Database unavailable',
    });
  });

  it('says when the server asks to retry (429 with Retry-After)', async () => {
    expect(await load(answer(429, 'Too many requests', { 'retry-after': '30' }))).toEqual({
      ok: false,
      message: 'HTTP 429 for Patient/1 (the server asks to retry after 30 s)',
    });
  });

  it('a 200 in XML: said as such, without the parser quoting the body', async () => {
    expect(await load(answer(200, '<?xml version="1.0"?><Patient xmlns="http://hl7.org/fhir"/>'))).toEqual({
      ok: false,
      message:
        'HTTP 200 for Patient/1, but as XML although the app asked for JSON (Accept: application/fhir+json)',
    });
  });

  it('a body that is no OperationOutcome adds nothing', async () => {
    expect(await load(answer(404, '<html>Not found</html>'))).toEqual({
      ok: false,
      message: 'HTTP 404 for Patient/1',
    });
  });
});

describe('a smoke read answered 200 with no FHIR JSON', () => {
  it('XML although JSON was asked for: an error, not OK', () => {
    const r = classifyFhirResponse(read, 200, '<?xml version="1.0"?><Patient xmlns="http://hl7.org/fhir"/>');
    expect(r).toMatchObject({ status: 'error', httpStatus: 200 });
    expect(r.outcome).toBe(
      'The server answered XML although the app asked for JSON (Accept: application/fhir+json).',
    );
    expect(r.explanation).toMatch(/406 Not Acceptable/);
  });

  it('other text is not JSON either; JSON and an empty body stay as they were', () => {
    expect(classifyFhirResponse(read, 200, 'hello').outcome).toMatch(
      /^The server answered something that is not JSON/,
    );
    expect(classifyFhirResponse(read, 200, '{"resourceType":"Patient","id":"1"}')).toEqual({
      status: 'ok',
      httpStatus: 200,
      count: 1,
    });
    expect(classifyFhirResponse(read, 204, '')).toEqual({ status: 'ok', httpStatus: 204 });
  });
});
