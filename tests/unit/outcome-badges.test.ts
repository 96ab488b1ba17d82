import { describe, expect, it } from 'vitest';
import { createOutcomeBadges, mayChangeOutcome } from '../../entrypoints/background/outcome-badges';
import { analyze } from '../../utils/launch/analyze';
import { classify } from '../../utils/launch/classify';
import type { TabOutcome } from '../../utils/launch/tab-outcome';
import type { Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

describe('outcome badges', () => {
  it('marks a tab once when its launch fails, and clears it when a later launch there does not fail', async () => {
    let launches: Launch[] = [];
    const shown: [number, TabOutcome][] = [];
    const badges = createOutcomeBadges(
      async () => launches,
      async (tabId, outcome) => {
        shown.push([tabId, outcome]);
      },
      (e) => {
        throw e;
      },
    );
    const failing = loadExchanges('forceauthn-400');
    launches = analyze(failing);
    await badges.flush();
    await badges.flush();
    expect(shown).toHaveLength(1);
    expect(shown[0]![0]).toBe(101);
    expect(shown[0]![1].failed).toBe(true);

    const later = loadExchanges('success-oracle').map((e) => ({
      ...e,
      id: `later-${e.id}`,
      tabId: 101,
      startedAt: e.startedAt + 86_400_000,
    }));
    launches = analyze([...failing, ...later]);
    await badges.flush();
    expect(shown.at(-1)).toEqual([101, { failed: false }]);
  });

  it('asks for a new analysis for flow steps, failures and removals, not for FHIR reads that went through', () => {
    const exchanges = loadExchanges('success-oracle');
    const reads = exchanges.filter((ex) => classify(ex).kind === 'fhir');
    const flow = exchanges.filter((ex) => classify(ex).kind !== 'fhir');
    expect(reads.length).toBeGreaterThan(0);
    expect(flow.map((ex) => classify(ex).kind)).toContain('token');
    expect(mayChangeOutcome({ upserted: reads, removed: [] })).toBe(false);
    const pending = { ...reads[0]!, phase: 'pending' as const, status: undefined, completedAt: undefined };
    expect(mayChangeOutcome({ upserted: [pending], removed: [] })).toBe(false);
    for (const ex of flow) expect(mayChangeOutcome({ upserted: [...reads, ex], removed: [] })).toBe(true);
    expect(mayChangeOutcome({ upserted: [{ ...reads[0]!, status: 401 }], removed: [] })).toBe(true);
    expect(
      mayChangeOutcome({
        upserted: [{ ...reads[0]!, phase: 'failed', error: 'net::ERR_FAILED' }],
        removed: [],
      }),
    ).toBe(true);
    expect(mayChangeOutcome({ upserted: [], removed: [reads[0]!.id] })).toBe(true);
  });
});
