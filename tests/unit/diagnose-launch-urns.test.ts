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

  it('launch:launch-code-required with no EHR launch recorded: the standalone fix comes first', () => {
    // The recording without the EHR's app start, preauth and launch URL: the app opened on its own.
    const standalone = withLaunchUrn('launch-code-required').filter(
      (e) => !e.url.startsWith('https://smart.cerner.com/') && !e.url.includes('/launch.html?'),
    );
    const f = findings(standalone).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter missing');
    expect(f?.summary).toContain('looks like a standalone launch, which asks for launch/patient');
    expect(f?.fixes[0]?.label).toMatch(/^For a standalone launch, request launch\/patient/);
    // With the EHR launch in the recording, the fix is to pass its launch value.
    const ehr = findings(withLaunchUrn('launch-code-required')).find((x) => x.ruleId === 'launch-invalid');
    expect(ehr?.summary).toMatch(/^The server needs the launch value the EHR passed/);
    expect(ehr?.fixes[0]?.label).toMatch(/^Pass the launch value/);
  });

  it('an old, unpublished spelling is not taken for a launch error', () => {
    const all = findings(withLaunchUrn('invalid-launch-code'));
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((x) => x.ruleId)).not.toContain('launch-invalid');
  });
});
