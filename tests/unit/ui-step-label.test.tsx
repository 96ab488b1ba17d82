import { describe, expect, it } from 'vitest';
import { failingStepText, stepLabel } from '../../utils/launch/step-label';
import type { Step } from '../../utils/model';

const step = (kind: Step['kind'], label: string, url: string, status?: number): Step =>
  ({
    kind,
    label,
    offsetMs: 0,
    failed: (status ?? 0) >= 400,
    exchange: { id: 'x', url, method: 'GET', status, responseHeaders: {}, phase: 'complete' },
  }) as unknown as Step;

describe('step labels for display', () => {
  it.each([
    [
      step(
        'session-api',
        'session-api realm ec24… forceAuthn',
        'https://a.test/session-api/realm/ec2458f2-1e24?forceAuthn=true',
        400,
      ),
      'session-api (forceAuthn)',
      'realm ec2458f2-1e24',
    ],
    [
      step('session-api', 'session-api realm ec24…', 'https://a.test/session-api/realm/ec2458f2-1e24'),
      'session-api',
      'realm ec2458f2-1e24',
    ],
    [step('ehr-launch', 'EHR app launch (app 1a2b…)', 'https://c.test/x'), 'EHR app launch', 'app 1a2b…'],
    [
      step('authorize', 'authorize (provider)', 'https://a.test/authorize'),
      'authorize (provider)',
      undefined,
    ],
  ])('%#: keeps what matters in the text, ids in the title', (s, text, title) => {
    expect(stepLabel(s)).toEqual({ text, title });
  });

  it('names the failing step with its status', () => {
    const s = step(
      'session-api',
      'session-api realm ec24… forceAuthn',
      'https://a.test/session-api/realm/ec24?forceAuthn=true',
      400,
    );
    expect(failingStepText(s)).toBe('session-api (forceAuthn) → 400');
  });
});
