import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { fhirGet, Recorder, tokenPost } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

type TokenPost = Parameters<typeof tokenPost>[1];

/** A launch at its callback whose token request (`first`) is sent again half a second later (`second`). */
function resent(first: TokenPost, second: TokenPost): Exchange[] {
  const r = new Recorder();
  toCallback(r);
  r.wait(120);
  tokenPost(r, first);
  r.wait(500);
  tokenPost(r, second);
  return r.out;
}

describe('rule code-reuse: a token request sent again after its answer was lost', () => {
  it('names the lost answer as the cause, and advises a new authorization instead of a retry', () => {
    const [launch] = analyze(
      resent(
        { error: 'net::ERR_CONNECTION_RESET' },
        { status: 400, body: { error: 'invalid_grant', error_description: 'code already used' } },
      ),
    );
    const f = launch!.findings.find((x) => x.ruleId === 'code-reuse')!;
    expect(f.summary).toContain('The first request got no answer (net::ERR_CONNECTION_RESET)');
    expect(f.summary).not.toContain('Usually a double call');
    expect(f.fixes[0]!.label).toMatch(/^Do not send a token request again when its answer was lost/);
  });

  it('a gateway error (502) on the first request: the same cause and advice', () => {
    const f = analyze(
      resent(
        { status: 502, body: { message: 'Bad gateway' } },
        { status: 400, body: { error: 'invalid_grant' } },
      ),
    )[0]!.findings.find((x) => x.ruleId === 'code-reuse')!;
    expect(f.summary).toContain("The first request failed with 502 (a gateway's error");
    expect(f.fixes[0]!.label).toMatch(/^Do not send a token request again/);
  });

  it('a repeat the server accepted after a lost answer: not said that it accepted each', () => {
    const f = analyze(resent({ error: 'net::ERR_TIMED_OUT' }, {}))[0]!.findings.find(
      (x) => x.ruleId === 'code-reuse',
    )!;
    expect(f.summary).toContain('whether it reached the server is not known');
    expect(f.summary).not.toContain('accepted each');
  });
});

describe('rule code-reuse: a double exchange the app went on past', () => {
  function twice(readAfter: number): Exchange[] {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r, {});
    r.wait(10);
    tokenPost(r, { status: 400, body: { error: 'invalid_grant', error_description: 'Code not valid' } });
    r.wait(300);
    fhirGet(r, 'Patient/12724066', readAfter);
    return r.out;
  }

  it('the first token kept working (FHIR reads after the refusal succeeded): succeeded, a warning', () => {
    const [launch] = analyze(twice(200));
    expect(launch!.status).toBe('succeeded');
    const f = launch!.findings.find((x) => x.ruleId === 'code-reuse')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toMatch(
      /The app went on with the first exchange's token, which this server did not revoke.*RFC 6749 §4\.1\.2.*React StrictMode/,
    );
  });

  it('the reads after it refused: failed at the repeat, as before', () => {
    const [launch] = analyze(twice(401));
    expect(launch!.status).toBe('failed');
    expect(launch!.findings.find((x) => x.ruleId === 'code-reuse')!.severity).toBe('error');
  });
});

describe('a token request blocked by CORS, then sent again', () => {
  it('the CORS refusal is the cause, the code reuse of the resend comes after it', () => {
    const [launch] = analyze(
      resent({ error: 'net::ERR_FAILED' }, { status: 400, body: { error: 'invalid_grant' } }),
    );
    expect(launch!.status).toBe('failed');
    expect(launch!.findings.map((f) => f.ruleId).slice(0, 2)).toEqual(['cors-failure', 'code-reuse']);
  });
});
