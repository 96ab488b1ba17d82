import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { summarizeLaunch } from '../../utils/launch/summary';
import { loadExchanges } from '../fixtures/load';

describe('launch summaries', () => {
  it('carry what the list and popup show, and no bodies or step details', () => {
    const [launch] = analyze(loadExchanges('forceauthn-400'));
    const summary = summarizeLaunch(launch!);
    expect(summary).toMatchObject({
      id: launch!.id,
      status: 'failed',
      server: 'authorization.cerner.com',
      stepCount: launch!.steps.length,
      failingStep: { kind: 'session-api', status: 400 },
    });
    expect(summary.findings.map((f) => f.title)).toEqual(launch!.findings.map((f) => f.title));
    const text = JSON.stringify(summary);
    expect(text).not.toMatch(/"(steps|exchange|body|evidence|fixes|decoded)"/);
    expect(text.length).toBeLessThan(JSON.stringify(launch).length / 5);
  });

  it('a launch without a failure has no failing step', () => {
    const summaries = analyze(loadExchanges('success-oracle')).map(summarizeLaunch);
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) expect(s.failingStep).toBeUndefined();
  });
});
