import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Finding } from '../../utils/model';
import { CODE, Recorder, STATE } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

/**
 * The callback came back with another state than the authorize request sent: how it changed decides
 * whose fault it is and what to do. A server that cuts, drops or re-encodes the state breaks RFC 6749
 * §4.1.2; an unrelated state is the callback of another authorization.
 */
function mismatch(state: string | undefined): Finding {
  const r = new Recorder();
  const code = `code=${encodeURIComponent(CODE)}`;
  toCallback(r, state === undefined ? code : `${code}&state=${state}`);
  const [launch] = analyze(r.out);
  const f = launch!.findings.find((x) => x.ruleId === 'state-lost');
  expect(f?.title).toBe('state mismatch at the callback');
  return f!;
}

describe('rule state-lost: a state that came back changed', () => {
  it('cut short by the server: both lengths, and the server is told', () => {
    const f = mismatch(STATE.slice(0, 10));
    expect(f.summary).toContain(`the server cut it to 10 of its ${STATE.length} characters`);
    expect(f.fixes[0]!.label).toBe(
      'Report it to the server’s operators (RFC 6749 §4.1.2 requires the state returned exactly as sent); until then, a state of at most 10 characters comes back whole.',
    );
  });

  it('dropped by the server', () => {
    const f = mismatch(undefined);
    expect(f.summary).toContain('the server returned no state');
    expect(f.fixes[0]!.label).toMatch(/^Report it to the server’s operators/);
  });

  it('a "+" the app encoded, echoed raw by the server (read as a space): said, and the server is told', () => {
    const sent = 'K1x+Zq/8Rt+w3Ma9Lp2Nv7Bc4Dx6Fy0G';
    const r = new Recorder();
    // The app sends %2B; the server writes the state back with its "+" raw, which reads as a space.
    toCallback(r, `code=${encodeURIComponent(CODE)}&state=${sent.replace('/', '%2F')}`, { state: sent });
    const [launch] = analyze(r.out);
    const f = launch!.findings.find((x) => x.ruleId === 'state-lost')!;
    expect(f.summary).toContain(
      'the server returned its "+" unencoded, and a raw "+" in a URL query reads as a space',
    );
    expect(f.summary).not.toContain('another authorization');
    expect(f.fixes[0]!.label).toMatch(/^Report it to the server’s operators .*Base64url, not Base64/);
  });

  it('another state altogether: the callback of another authorization, nothing to report', () => {
    const f = mismatch('c29tZS1vdGhlci1zdGF0ZS12YWx1ZQ');
    expect(f.summary).toContain('the callback answers another authorization');
    expect(f.fixes.map((x) => x.kind)).not.toContain('advice');
  });
});
