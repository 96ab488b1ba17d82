import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

/** The recorded invalid-launch redirect, with its URN tail (percent-encoded twice in the URL) swapped. */
function withLaunchUrn(tail: string): Exchange[] {
  const text = JSON.stringify(loadExchanges('launch-invalid'));
  expect(text).toContain('launch%253Ainvalid-code');
  return JSON.parse(text.replaceAll('launch%253Ainvalid-code', `launch%253A${tail}`)) as Exchange[];
}

function findings(exchanges: Exchange[]) {
  const [launch] = analyze(exchanges, {});
  return launch?.findings ?? [];
}

describe("launch errors by Oracle's published URNs", () => {
  it('launch:invalid-code is an invalid launch value', () => {
    const f = findings(withLaunchUrn('invalid-code')).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter invalid');
    expect(f?.evidence.find((e) => e.label === 'server error')?.value).toBe(
      'urn:cerner:error:authorization-server:smart-v1:grant:launch:invalid-code',
    );
  });

  it('launch:launch-code-required is a missing launch value', () => {
    const f = findings(withLaunchUrn('launch-code-required')).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter missing');
  });

  it('an old, unpublished spelling is not taken for a launch error', () => {
    const all = findings(withLaunchUrn('invalid-launch-code'));
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((x) => x.ruleId)).not.toContain('launch-invalid');
  });
});
