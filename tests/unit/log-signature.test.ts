import { describe, expect, it } from 'vitest';
import { launchesSignature } from '../../entrypoints/log/signature';
import type { Launch } from '../../utils/model';
import { forceAuthn400Launch } from '../fixtures/launches/forceauthn-400';
import { successLaunch } from '../fixtures/launches/success';

const copy = (l: Launch): Launch => structuredClone(l);

describe('launch list change detection', () => {
  it('is stable for the same data', () => {
    expect(launchesSignature([copy(successLaunch), copy(forceAuthn400Launch)])).toBe(
      launchesSignature([successLaunch, forceAuthn400Launch]),
    );
  });

  it.each<[string, (l: Launch) => void]>([
    [
      'a step completes with a status',
      (l) => {
        const ex = l.steps.at(-1)!.exchange;
        ex.status = (ex.status ?? 0) + 1;
      },
    ],
    [
      'a response body arrives from DevTools',
      (l) => {
        l.steps.at(-1)!.exchange.body = { text: '{"scope":"openid"}', truncated: false };
      },
    ],
    [
      'the launch ends',
      (l) => {
        l.endedAt = (l.endedAt ?? l.startedAt) + 1000;
      },
    ],
    [
      'a finding is replaced by another with the same count',
      (l) => {
        l.findings[0] = { ...l.findings[0]!, ruleId: 'other-rule' };
      },
    ],
    [
      'the status changes',
      (l) => {
        l.status = l.status === 'failed' ? 'succeeded' : 'failed';
      },
    ],
  ])('changes when %s (same number of steps and findings)', (_what, change) => {
    const before = launchesSignature([forceAuthn400Launch]);
    const changed = copy(forceAuthn400Launch);
    change(changed);
    expect(changed.steps).toHaveLength(forceAuthn400Launch.steps.length);
    expect(launchesSignature([changed])).not.toBe(before);
  });
});
