/**
 * A launch exported as HAR from the log and imported again (a colleague opening the shared file) reads
 * as the log read it: the same steps, status, reason and findings. Every recorded fixture launch, and
 * every launch of the HAR fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchToHarText } from '../../utils/har';
import { importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { signInNotKept } from '../fixtures/exchanges/outcomes';
import { fixtureNames, loadExchanges } from '../fixtures/load';

const reading = (l: Launch) => ({
  steps: l.steps.map((s) => `${s.kind} ${s.exchange.method} ${s.exchange.status ?? s.exchange.error ?? '-'}`),
  status: l.status,
  statusReason: l.statusReason,
  findings: l.findings.map((f) => `${f.severity} ${f.ruleId}: ${f.title}`),
});

function roundTrip(l: Launch): Launch[] {
  return analyze(importHar(launchToHarText(l), 'shared.har', 'again'));
}

describe('HAR export, then import', () => {
  it.each(fixtureNames())('recorded fixture %s', (name) => {
    for (const l of analyze(loadExchanges(name))) {
      const again = roundTrip(l);
      expect(again).toHaveLength(1);
      expect(reading(again[0]!)).toEqual(reading(l));
    }
  });

  it('a token request still waiting for its answer, the FHIR reads after it succeeded', () => {
    const unanswered = loadExchanges('success-oracle').map((e) => {
      if (!/\/token$/.test(new URL(e.url).pathname)) return e;
      const { status: _s, completedAt: _c, responseHeaders: _h, ...rest } = e;
      return { ...rest, responseHeaders: {}, phase: 'pending' as const };
    });
    const [l] = analyze(unanswered);
    expect(l!.status).toBe('succeeded');
    const again = roundTrip(l!);
    expect(again).toHaveLength(1);
    expect(reading(again[0]!)).toEqual(reading(l!));
  });

  it('a sign-in in a frame: the frame is written down and read back (DevTools calls every page load a document)', () => {
    const [l] = analyze(signInNotKept());
    expect(l!.findings[0]!.title).toBe('Sign-in does not stick in a frame');
    const again = roundTrip(l!);
    expect(again).toHaveLength(1);
    expect(reading(again[0]!)).toEqual(reading(l!));
    expect(again[0]!.steps.filter((s) => s.exchange.type === 'sub_frame')).toHaveLength(7);
  });

  const dir = new URL('../fixtures/har/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.har') && !/broken|not-a-har|no-smart/.test(f));
  it.each(files)('HAR fixture %s', (file) => {
    for (const l of analyze(importHar(readFileSync(new URL(file, dir), 'utf8'), file, 'first'))) {
      const again = roundTrip(l);
      expect(again).toHaveLength(1);
      expect(reading(again[0]!)).toEqual(reading(l));
    }
  });
});
