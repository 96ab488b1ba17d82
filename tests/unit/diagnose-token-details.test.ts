import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import {
  CLIENT_ID,
  fhirGet,
  ISS,
  mask,
  Recorder,
  TENANT,
  tokenBody,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

const SCOPES = ['launch', 'openid', 'fhirUser', 'user/Patient.rs'];

/** An id_token with these claims, its signature masked as the recorder stores it. */
function idToken(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.${mask('c2lnbmF0dXJlLW9mLXRoZS1pZC10b2tlbg')}`;
}

/** An Oracle launch whose token response is tokenBody(SCOPES) with `change` applied, then a FHIR read. */
function launchWith(change: Record<string, unknown>): Launch {
  const r = new Recorder();
  toCallback(r, undefined, { scopes: SCOPES });
  r.wait(120);
  const body: Record<string, unknown> = { ...tokenBody(SCOPES), ...change };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  tokenPost(r, { body });
  fhirGet(r, 'Patient/12724066');
  const launches = analyze(r.out);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const details = (l: Launch): Finding[] => l.findings.filter((f) => f.ruleId === 'token-response-shape');
const titles = (l: Launch) => details(l).map((f) => f.title);

describe('rule token-response-shape: what the app reads from the token response', () => {
  it('a token response as Oracle sends it: nothing to say, the launch succeeded', () => {
    const l = launchWith({});
    expect(l.status).toBe('succeeded');
    expect(titles(l)).toEqual([]);
  });

  it('expires_in 0: the token expires at once (a warning; the launch still succeeded)', () => {
    const l = launchWith({ expires_in: 0 });
    const [f] = details(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'Token expires at once' });
    expect(f!.summary).toContain('expires in 0 seconds');
    expect(f!.evidence.find((e) => e.label === 'expires_in')?.value).toBe('0');
    expect(l.status).toBe('succeeded');
    expect(titles(launchWith({ expires_in: 60 }))).toEqual([]);
    // Left out (SMART v2 makes it recommended): nothing to say.
    expect(titles(launchWith({ expires_in: undefined }))).toEqual([]);
  });

  it('an id_token addressed to another client: named with both ids', () => {
    const l = launchWith({
      id_token: idToken({ sub: '12742069', aud: 'some-other-client', fhirUser: 'Practitioner/1' }),
    });
    const [f] = details(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'id_token for another client' });
    expect(f!.summary).toContain('some-other-client');
    expect(f!.summary).toContain(CLIENT_ID);
    expect(l.status).toBe('succeeded');
  });

  it('an id_token whose aud list holds the client_id, or that has no aud: no finding', () => {
    expect(
      titles(launchWith({ id_token: idToken({ aud: ['x', CLIENT_ID], fhirUser: 'Practitioner/1' }) })),
    ).toEqual([]);
    expect(titles(launchWith({ id_token: idToken({ sub: 'a', fhirUser: 'Practitioner/1' }) }))).toEqual([]);
  });

  it('fhirUser granted but not in the id_token: the app cannot tell who signed in', () => {
    const l = launchWith({ id_token: idToken({ sub: '12742069', aud: CLIENT_ID }) });
    const [f] = details(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'id_token without fhirUser' });
    expect(f!.evidence.find((e) => e.label === 'id_token claims')?.value).toBe('sub, aud');
    // SMART v1's profile claim says the same.
    expect(titles(launchWith({ id_token: idToken({ aud: CLIENT_ID, profile: 'Practitioner/1' }) }))).toEqual(
      [],
    );
  });

  it('fhirUser not granted: no fhirUser finding; no scope in the response: granted as requested (RFC 6749 §5.1)', () => {
    const noClaim = idToken({ sub: '12742069', aud: CLIENT_ID });
    expect(titles(launchWith({ id_token: noClaim, scope: 'launch openid user/Patient.rs' }))).toEqual([]);
    expect(titles(launchWith({ id_token: noClaim, scope: undefined }))).toEqual([
      'id_token without fhirUser',
    ]);
  });

  it('an id_token that cannot be decoded says so, and nothing about its claims', () => {
    const l = launchWith({ id_token: `bm90LWpzb24.bm90LWpzb24.${mask('abcdefghijklmnop')}` });
    expect(titles(l)).toEqual(['Broken id_token']);
  });
});

/**
 * A launch with `scopes` whose token request (`token`'s options, then changed by `edit`) is answered, and whose
 * first FHIR read 50 ms later is refused 401 invalid_token: its token-expired finding.
 */
function refusedAtOnce(
  scopes: string[],
  token: Parameters<typeof tokenPost>[1],
  edit?: (token: Exchange) => void,
  refusedAfterMs = 50,
): Finding {
  const r = new Recorder();
  toCallback(r, undefined, { scopes });
  r.wait(120);
  const sent = tokenPost(r, token);
  edit?.(sent);
  r.wait(refusedAfterMs);
  fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer realm="x", error="invalid_token"' });
  const [l] = analyze(r.out);
  return l!.findings.find((x) => x.ruleId === 'token-expired')!;
}

describe('rule token-expired: a token refused long before it expires', () => {
  it('is not called expiry, and the advice is about aud and the server, not refreshing', () => {
    const f = refusedAtOnce(SCOPES, {
      body: { ...tokenBody(SCOPES), refresh_token: mask('refresh-token-value-0123456789') },
    });
    expect(f.title).toBe('Access token refused before it expired');
    expect(f.summary).toMatch(
      /^The FHIR server refused the access token 0 s after it was issued, well within the 570 s it was given: not expiry\./,
    );
    expect(f.fixes[0]!.label).toMatch(
      /^Check that the authorize request's aud is this FHIR server's base URL/,
    );
  });
});

describe('rule token-expired: a token of unknown lifetime refused after its first use', () => {
  it('may have expired: the finding says its lifetime is unknown and how to learn it, not "not expiry"', () => {
    // The sandbox's short-token app issues 30 s tokens: refused 35 s later, its answer not recorded.
    const f = refusedAtOnce(
      SCOPES,
      {},
      (token) => {
        delete token.body;
      },
      35_000,
    );
    expect(f.title).toBe('Access token expired or invalid');
    expect(f.summary).toMatch(
      /^The FHIR server refused the access token 35 s after it was issued\. How long it was valid is unknown/,
    );
    expect(f.summary).not.toMatch(/not expiry/);
    expect(f.fixes[0]!.label).toMatch(/^Keep DevTools open on the app's tab and launch again/);
  });
});

describe('rule token-expired: a token of unknown lifetime refused at its first use', () => {
  it('is not called expiry either, and offline_access granted is not asked for again', () => {
    // Its answer not recorded (no DevTools): the lifetime is unknown, the age is not.
    const f = refusedAtOnce([...SCOPES, 'offline_access'], {}, (token) => {
      delete token.body;
    });
    expect(f.title).toBe('Access token refused before it expired');
    expect(f.summary).toMatch(
      /^The FHIR server refused the access token 0 s after it was issued, too soon for it to have expired: not expiry\./,
    );
    expect(f.fixes.map((x) => x.label).join(' ')).not.toMatch(/Request online_access/);
  });
});

describe('rule unexplained-failure: a token error whose answer was not recorded', () => {
  it('says how to see why (DevTools open on the tab), only when the answer is missing from a live recording', () => {
    const refused = (keep: 'none' | 'body' | 'har') => {
      const r = new Recorder();
      toCallback(r, undefined, { scopes: SCOPES });
      r.wait(120);
      const token = tokenPost(r, { status: 400, body: { error: 'server_busy' } });
      if (keep !== 'body') delete token.body;
      if (keep === 'har') for (const e of r.out) e.source = 'har';
      const [l] = analyze(r.out);
      return l!.findings.find((x) => x.ruleId === 'unexplained-failure')!.summary;
    };
    expect(refused('none')).toMatch(
      /^The launch stopped at token \(authorization_code\) \(HTTP 400\)\. The server's answer, which says why, was not recorded: .*Open DevTools on the app's tab and launch again/,
    );
    expect(refused('body')).not.toMatch(/was not recorded/);
    expect(refused('har')).not.toMatch(/was not recorded/);
  });
});

describe('rule token-expired: a token sent to another tenant’s FHIR base', () => {
  it('names the two bases: the token is for the launch’s server only', () => {
    const r = new Recorder();
    toCallback(r, undefined, { scopes: SCOPES });
    r.wait(120);
    const token = tokenPost(r);
    fhirGet(r, 'Patient/12724066');
    r.wait(50);
    const other = fhirGet(r, 'Patient/12724066', 401, {
      'www-authenticate': 'Bearer realm="x", error="invalid_token"',
    });
    other.url = other.url.replace(TENANT, 'c8d1f2a3-4b5c-4d6e-8f70-9a1b2c3d4e5f');
    // As a HAR shows it: the call sent the token this launch obtained.
    token.secretFacts = { ...token.secretFacts, tokenFingerprint: 'fp-access-token-1' };
    other.secretFacts = { tokenFingerprint: 'fp-access-token-1' };
    const [l] = analyze(r.out);
    const f = l!.findings.find((x) => x.ruleId === 'token-expired')!;
    expect(f.title).toBe('Access token refused before it expired');
    expect(f.summary).toContain(
      `The request went to ${other.url}, outside the launch's FHIR server ${ISS} (its iss, the aud the token was issued for)`,
    );
    expect(f.fixes[0]!.label).toBe(
      `Send FHIR requests to ${ISS}, the server the token was issued for; for another tenant or server, launch against it (its iss) to get a token of its own.`,
    );
  });
});

describe('rule token-expired: after a refresh', () => {
  it("the token's age is counted from the refresh that brought it, not from the first token", () => {
    const r = new Recorder();
    toCallback(r, undefined, { scopes: SCOPES });
    r.wait(120);
    tokenPost(r, { body: { ...tokenBody(SCOPES), refresh_token: mask('refresh-token-value-0123456789') } });
    r.wait(500_000);
    const refresh = tokenPost(r, {
      body: { ...tokenBody(SCOPES), refresh_token: mask('refresh-token-value-9876543210') },
    });
    refresh.form = {
      grant_type: ['refresh_token'],
      refresh_token: [mask('refresh-token-value-0123456789')],
      client_id: [CLIENT_ID],
    };
    refresh.secretFacts = {};
    r.wait(1_500_000);
    fhirGet(r, 'Observation?patient=12724066', 401, {
      'www-authenticate': 'Bearer realm="x", error="invalid_token"',
    });
    const [l] = analyze(r.out);
    expect(l!.steps.map((s) => s.kind)).toContain('refresh');
    const f = l!.findings.find((x) => x.ruleId === 'token-expired')!;
    expect(f.summary).toMatch(
      /^The FHIR server refused the token 1500 s \(25 min\) after it was issued; it was valid for 570 s\./,
    );
  });
});

describe('rule token-expired: a token refused in the last minute of its lifetime', () => {
  it('is expiry as the server’s clock tells it, not "well within"', () => {
    const r = new Recorder();
    toCallback(r, undefined, { scopes: SCOPES });
    r.wait(120);
    tokenPost(r, { body: { ...tokenBody(SCOPES), refresh_token: mask('refresh-token-value-0123456789') } });
    r.wait(565_000);
    fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer realm="x", error="invalid_token"' });
    const [l] = analyze(r.out);
    const f = l!.findings.find((x) => x.ruleId === 'token-expired')!;
    expect(f.title).toBe('Access token expired');
    expect(f.summary).toMatch(
      /^The FHIR server refused the token 565 s after it was issued, 5 s before the end of the 570 s it was given: expired as its clock tells it/,
    );
    expect(f.fixes[0]!.label).toBe('Refresh the token before it expires (a minute early: clocks differ).');
  });
});

describe('rule token-expired: its title says what the times show', () => {
  it('refused after its lifetime: expired; no lifetime known: expired or invalid', () => {
    const expired = analyze(loadExchanges('token-expired'))[0]!.findings.find(
      (x) => x.ruleId === 'token-expired',
    )!;
    expect(expired.title).toBe('Access token expired');
    expect(expired.summary).toMatch(
      /^The FHIR server refused the token \d+ s( \([^)]*\))? after it was issued; it was valid for/,
    );
  });
});

describe('rule missing-patient-context: launch/patient granted without a patient', () => {
  const PATIENT_SCOPES = ['launch/patient', 'openid', 'fhirUser', 'patient/Patient.rs'];
  function standalone(change: Record<string, unknown>): Launch {
    const r = new Recorder();
    toCallback(r, undefined, { scopes: PATIENT_SCOPES });
    r.wait(120);
    const body: Record<string, unknown> = { ...tokenBody(PATIENT_SCOPES), ...change };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
    tokenPost(r, { body });
    const [l] = analyze(r.out);
    return l!;
  }
  const found = (l: Launch) => l.findings.filter((f) => f.ruleId === 'missing-patient-context');

  it('a token response without patient: a warning naming the server', () => {
    const [f] = found(standalone({ patient: undefined }));
    expect(f).toMatchObject({ severity: 'warning', title: 'launch/patient granted without a patient' });
    expect(f!.fixes[0]!.label).toMatch(/^Server side: return the selected patient’s id/);
  });

  it('with its patient, or without launch/patient granted: nothing', () => {
    expect(found(standalone({}))).toEqual([]);
    expect(found(standalone({ patient: undefined, scope: 'openid fhirUser patient/Patient.rs' }))).toEqual(
      [],
    );
  });
});
