import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { APP, fhirGet, Recorder, tokenPost } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

const outcome = (diagnostics: string) =>
  JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'forbidden', diagnostics }],
  });

/**
 * A launch that obtained its token, then the FHIR reads `reads` adds; `har`: as imported from a HAR,
 * which keeps request headers (the fingerprint of a bearer token sent, `sent`).
 */
function launchWith(reads: (r: Recorder) => void, har?: { sent?: string }): Launch {
  const r = new Recorder();
  toCallback(r);
  r.wait(120);
  tokenPost(r);
  const before = r.out.length;
  reads(r);
  if (har)
    for (const ex of r.out.slice(before)) {
      ex.source = 'har';
      if (har.sent) ex.secretFacts = { tokenFingerprint: har.sent };
    }
  const launches = analyze(r.out);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const refused = (l: Launch) => l.findings.filter((f) => f.ruleId === 'fhir-refused');

describe('rule fhir-refused: a FHIR request refused after the token, which no other rule explained', () => {
  it('401 with a challenge that names no error (RFC 6750 §3.1: no usable token sent): failed, and said so', () => {
    const l = launchWith((r) =>
      fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer realm="fhir"' }),
    );
    expect(l.status).toBe('failed');
    const [f] = refused(l);
    expect(f).toMatchObject({ severity: 'error', title: 'FHIR request without a usable access token' });
    expect(f!.summary).toContain('RFC 6750 §3.1');
    // Live, a FHIR call is recorded without its request headers: both readings are named.
    expect(f!.summary).toContain(
      'The app sent no token, or not as the header Authorization: Bearer <token>.',
    );
    expect(l.findings.some((x) => x.ruleId === 'token-expired')).toBe(false);
  });

  it('403 that is not about scope: failed, with the server’s own words', () => {
    const l = launchWith((r) => {
      fhirGet(r, 'Patient/12724066');
      fhirGet(
        r,
        'Observation?patient=12724066',
        403,
        {},
        outcome('Break-the-glass required for this record'),
      );
    });
    expect(l.status).toBe('failed');
    const [f] = refused(l);
    expect(f).toMatchObject({ severity: 'error', title: 'FHIR request refused' });
    expect(f!.summary).toContain('not for lack of scope');
    expect(f!.summary).toContain('Break-the-glass required for this record');
    expect(f!.evidence.map((e) => e.label)).toEqual(['FHIR response', 'OperationOutcome']);
  });

  it('a read that got no answer (connection refused): failed, said as the browser’s, not a refusal', () => {
    const unreachable = (r: Recorder, error = 'net::ERR_CONNECTION_REFUSED') => {
      const ex = fhirGet(r, 'Patient/12724066');
      delete ex.status;
      ex.phase = 'failed';
      ex.error = error;
    };
    const l = launchWith((r) => unreachable(r));
    expect(l.status).toBe('failed');
    const [f] = refused(l);
    expect(f).toMatchObject({ severity: 'error', title: 'FHIR server unreachable' });
    expect(f!.summary).toBe(
      'FHIR GET Patient got no answer: the browser could not reach fhir-ehr-code.cerner.com (net::ERR_CONNECTION_REFUSED).',
    );
    // A later read that succeeded: the app went on, a warning.
    const on = launchWith((r) => {
      unreachable(r);
      fhirGet(r, 'Patient/12724066');
    });
    expect(on.status).toBe('succeeded');
    expect(refused(on).map((x) => x.severity)).toEqual(['warning']);
    // The browser's CORS refusal is cors-failure's, an abort no failure of the server.
    for (const error of ['net::ERR_FAILED', 'net::ERR_ABORTED']) {
      const other = launchWith((r) => unreachable(r, error));
      expect(refused(other).map((x) => x.title)).not.toContain('FHIR server unreachable');
    }
  });

  it('a refusal the app went past (a later read succeeded) is a warning; the launch succeeded', () => {
    const l = launchWith((r) => {
      fhirGet(r, 'Observation?patient=12724066', 403, {}, outcome('Restricted'));
      fhirGet(r, 'Patient/12724066');
    });
    expect(l.status).toBe('succeeded');
    expect(refused(l).map((f) => f.severity)).toEqual(['warning']);
  });

  it('a refusal after others the app went past decides: the first one no success followed', () => {
    const l = launchWith((r) => {
      fhirGet(r, 'Patient/12724066', 503, {}, outcome('Service temporarily unavailable'));
      fhirGet(r, 'Patient/12724066');
      fhirGet(r, 'Observation?patient=12724066', 401, { 'www-authenticate': 'Bearer realm="fhir"' });
      fhirGet(r, 'Condition?patient=12724066', 401, { 'www-authenticate': 'Bearer realm="fhir"' });
    });
    expect(l.status).toBe('failed');
    expect(refused(l).map((f) => `${f.severity}:${f.title}`)).toEqual([
      'error:FHIR request without a usable access token',
      'warning:FHIR server error',
    ]);
    expect(refused(l)[0]!.evidence[0]!.value).toContain('Observation');
  });

  it('the server’s words once when the header and the body say the same', () => {
    const l = launchWith((r) =>
      fhirGet(
        r,
        'Patient/12724066',
        401,
        { 'www-authenticate': 'Bearer error="invalid_request", error_description="Token not active"' },
        outcome('token not active'),
      ),
    );
    expect(refused(l)[0]!.summary).toContain('The server says: “Token not active”.');
  });

  it('a server error is a warning, not a failed launch', () => {
    const l = launchWith((r) => fhirGet(r, 'Patient/12724066', 500, {}, outcome('Internal error')));
    expect(l.status).toBe('succeeded');
    expect(refused(l)).toEqual([
      expect.objectContaining({ severity: 'warning', title: 'FHIR server error' }),
    ]);
  });

  it('a CapabilityStatement read after the token that the server fails is a server error too', () => {
    const l = launchWith((r) => {
      fhirGet(r, 'metadata', 500, {}, outcome('Capability store offline'));
      fhirGet(r, 'Patient/12724066');
    });
    expect(l.status).toBe('succeeded');
    expect(l.steps.find((s) => s.exchange.url.endsWith('/metadata'))?.kind).toBe('metadata');
    expect(refused(l)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title: 'FHIR server error',
        summary: expect.stringContaining('Capability store offline'),
      }),
    ]);
  });

  it('leaves to the other rules what they explain: invalid_token, and a 403 for lack of scope', () => {
    const expired = launchWith((r) =>
      fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    );
    expect(expired.findings.map((f) => f.ruleId)).toContain('token-expired');
    expect(refused(expired)).toEqual([]);
    const scope = launchWith((r) =>
      fhirGet(r, 'Condition?patient=12724066', 403, {
        'www-authenticate': 'Bearer error="insufficient_scope"',
      }),
    );
    expect(scope.findings.map((f) => f.ruleId)).toContain('scopes-trimmed');
    expect(refused(scope)).toEqual([]);
  });

  it('403s for lack of scope that scopes-trimmed did not cite (it names the first) stay its own', () => {
    const scope = outcome('urn:cerner:error:oauth2:resource-access:insufficient-scopes');
    const l = launchWith((r) => {
      fhirGet(r, 'Patient/12724066', 403, {}, scope);
      fhirGet(r, 'Observation?patient=12724066', 403, {}, scope);
    });
    expect(l.findings.map((f) => f.ruleId)).toContain('scopes-trimmed');
    expect(refused(l)).toEqual([]);
  });

  it('from a HAR: a request without Authorization is said, hedged (a sanitized export drops it)', () => {
    const noHeader = (sent?: string) =>
      launchWith(
        (r) => fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer realm="fhir"' }),
        sent ? { sent } : {},
      ).findings.find((f) => f.ruleId === 'fhir-refused')!.summary;
    expect(noHeader()).toContain('The request in the file has no Authorization header');
    expect(noHeader()).toContain('“sanitized” export removes Authorization');
    expect(noHeader('fp-of-a-token')).toContain('The request sent a bearer token');
    const expired = launchWith(
      (r) => fhirGet(r, 'Patient/12724066', 401, { 'www-authenticate': 'Bearer error="invalid_token"' }),
      {},
    ).findings.find((f) => f.ruleId === 'token-expired')!;
    expect(expired.summary).toContain('The request in the file has no Authorization header');
    // An earlier read of the same file succeeded without the header: the export removed them all.
    const sanitized = launchWith((r) => {
      fhirGet(r, 'Patient/12724066');
      r.wait(700_000);
      fhirGet(r, 'Observation?patient=12724066', 401, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }, {}).findings.find((f) => f.ruleId === 'token-expired')!;
    expect(sanitized.summary).toContain(
      'The file has no Authorization headers, but another FHIR request without one succeeded: the file was saved without them',
    );
    expect(sanitized.summary).not.toContain('the app sent no access token');
  });

  it('a 401 from another server the app calls (a terminology service) starts no launch of its own', () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r);
    fhirGet(r, 'Patient/12724066');
    r.add({
      type: 'fetch',
      initiator: APP,
      url: 'https://tx.example.org/fhir/ValueSet/$expand?url=http://loinc.org/vs',
      status: 401,
      responseHeaders: { 'www-authenticate': 'Bearer realm="tx"' },
    });
    const launches = analyze(r.out);
    expect(launches.map((l) => l.status)).toEqual(['succeeded']);
    // Without the app's launch in the log, the same refusal is a launch of its own (a log without its start).
    const alone = new Recorder();
    alone.add({
      type: 'fetch',
      initiator: APP,
      url: 'https://tx.example.org/fhir/ValueSet/$expand?url=http://loinc.org/vs',
      status: 401,
      responseHeaders: { 'www-authenticate': 'Bearer realm="tx"' },
    });
    expect(analyze(alone.out).map((l) => l.status)).toEqual(['failed']);
  });

  it('a second invalid_token 401 stays token-expired’s, which named the first', () => {
    const expired = { 'www-authenticate': 'Bearer error="invalid_token"' };
    const l = launchWith((r) => {
      fhirGet(r, 'Patient/12724066', 401, expired);
      fhirGet(r, 'Observation?patient=12724066', 401, expired);
    });
    expect(l.findings.map((f) => f.ruleId)).toContain('token-expired');
    expect(refused(l)).toEqual([]);
  });

  it('a FHIR read that succeeded: nothing to say', () => {
    expect(refused(launchWith((r) => fhirGet(r, 'Patient/12724066')))).toEqual([]);
  });
});
