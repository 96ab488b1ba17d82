import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';

/**
 * Findings say what the server said and claim of Oracle only what happens on Oracle's servers: a token
 * endpoint's JSON error (RFC 6749 §5.2) with its error_description, and aud's absence on another server.
 */

const ISS = 'https://fhir.example-ehr.org/r4';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const STATE = 'st-0123456789abcdefghijklmnop';

/**
 * A launch on `authServer` up to its callback (`callback`: its query), then `token` when given; `aud`:
 * the iss (true), none (false), or as written.
 */
function launch(
  authServer: string,
  aud: boolean | string,
  token?: Partial<Exchange>,
  callback = `code=c1&state=${STATE}`,
): Exchange[] {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'app',
    scope: 'launch openid fhirUser patient/Patient.rs',
    redirect_uri: 'https://app.example/cb',
    state: STATE,
    launch: 'L1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...(aud ? { aud: aud === true ? ISS : aud } : {}),
  });
  const cb = `https://app.example/cb?${callback}`;
  const out = [
    makeExchange({
      id: 'l',
      source: 'har',
      url: `https://app.example/launch?iss=${encodeURIComponent(ISS)}&launch=L1`,
      status: 200,
    }),
    makeExchange({
      id: 'a',
      source: 'har',
      url: `${authServer}/authorize?${q}`,
      status: 302,
      location: cb,
      startedAt: 100,
    }),
    makeExchange({ id: 'c', source: 'har', url: cb, status: 200, startedAt: 200 }),
  ];
  if (token) {
    out.push(
      makeExchange({
        id: 't',
        source: 'har',
        type: 'xmlhttprequest',
        method: 'POST',
        url: `${authServer}/token`,
        startedAt: 300,
        form: {
          grant_type: ['authorization_code'],
          code: ['c1'],
          code_verifier: ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
        },
        secretFacts: { verifierChallenge: CHALLENGE },
        ...token,
      }),
    );
  }
  return out;
}

const json = (value: object) => ({
  text: JSON.stringify(value),
  mimeType: 'application/json',
  truncated: false,
});

describe('findings in the server’s words', () => {
  it('a token endpoint’s JSON error names the failure, with its error_description', () => {
    const token = {
      status: 401,
      body: json({ error: 'invalid_client', error_description: 'client_assertion signature invalid' }),
    };
    const [l] = analyze(launch('https://auth.example-ehr.org', true, token));
    expect(l!.status).toBe('failed');
    const f = l!.findings[0]!;
    expect(f).toMatchObject({ ruleId: 'unexplained-failure', title: 'Invalid client' });
    expect(f.summary).toContain('The server said: “client_assertion signature invalid”.');
    expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'error', value: 'invalid_client' }));
  });

  it('aud missing: Oracle’s refusal is said for Oracle’s authorization server only', () => {
    const summary = (host: string) =>
      analyze(launch(host, false))[0]!.findings.find((f) => f.ruleId === 'aud-mismatch')!.summary;
    expect(
      summary(
        'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/personas/provider',
      ),
    ).toContain('Oracle rejects the request without it');
    const other = summary('https://auth.example-ehr.org');
    expect(other).not.toContain('Oracle');
    expect(other).toContain('servers that check it refuse the request');
  });
});

describe('aud written otherwise than iss', () => {
  const refusedAud = (aud: string, description: string) =>
    analyze(
      launch(
        'https://auth.example-ehr.org',
        aud,
        undefined,
        `error=invalid_request&error_description=${encodeURIComponent(description)}&state=${STATE}`,
      ),
    )[0]!;

  it('only by a trailing slash, refused in words that name the audience: said as the cause', () => {
    const l = refusedAud(`${ISS}/`, 'Bad audience value');
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({ ruleId: 'aud-mismatch', title: 'aud not written as iss' });
    expect(l.findings[0]!.summary).toMatch(
      /only by a trailing slash\. This server compares the two as strings and refused it: “Bad audience value”\.$/,
    );
  });

  it('refused for another reason: not blamed on the slash', () => {
    const l = refusedAud(`${ISS}/`, 'Unknown scope');
    expect(l.findings.map((f) => f.title)).not.toContain('aud not written as iss');
  });
});

describe("Oracle's audience errors when aud is the iss", () => {
  const ORACLE =
    'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/personas/provider';
  const refused = (urn: string, error = 'invalid_request') =>
    analyze(
      launch(
        ORACLE,
        true,
        undefined,
        `error=${error}&error_uri=${encodeURIComponent(`https://authorization.cerner.com/errors/${encodeURIComponent(`urn:cerner:error:authorization-server:${urn}`)}/instances/1`)}&state=${STATE}`,
      ),
    )[0]!;

  it.each([
    [
      'smart-v1:grant:launch:audience-not-white-listed',
      'FHIR server not allowed for this client',
      /not registered for this FHIR server/,
    ],
    [
      'smart-v1:grant:launch:unknown-resource-server',
      'Unknown FHIR server (aud)',
      /does not know it as a resource server/,
    ],
    [
      'smart-v1:grant:launch:audience-required',
      'aud not received by the server',
      /though the authorize request sent aud=/,
    ],
  ])('%s: the refusal, not a difference that is not there', (urn, title, says) => {
    const l = refused(urn);
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({ ruleId: 'aud-mismatch', severity: 'error', title });
    expect(l.findings[0]!.summary).toMatch(says);
    expect(l.findings[0]!.summary).not.toContain('but the app was launched with');
  });

  it('invalid-patient-id: the patient is invalid, not missing; no empty list of scopes', () => {
    const l = refused('oauth2:grant:invalid-patient-id', 'access_denied');
    const f = l.findings.find((x) => x.ruleId === 'missing-patient-context')!;
    expect(f.title).toBe('Invalid patient in context');
    expect(f.summary).toMatch(
      /^The server refused the patient of this launch as invalid \(invalid-patient-id\)/,
    );
    expect(f.summary).not.toContain('()');
  });
});
