import { describe, expect, it } from 'vitest';
import { applyEvent, type CaptureState, emptyState } from '../../utils/capture';
import { analyze } from '../../utils/launch/analyze';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';

/**
 * The capture reducer bumps the revision of every exchange an event creates or changes, and analysis
 * reuses what it derived from an exchange only while its revision is unchanged: analyzing the live
 * state after each event equals a fresh analysis of a deep copy.
 */
describe('analysis by revision, on a live capture', () => {
  const ctx = { redact: false, hasHostPermission: () => true };

  it('every event that changes an exchange gives it a new revision', () => {
    const state: CaptureState = emptyState();
    for (const event of ehrLaunchEvents(1_000, 'code-1')) {
      const before = new Map(Object.values(state.exchanges).map((e) => [e.id, e.revision]));
      const change = applyEvent(state, event, ctx);
      for (const ex of Object.values(state.exchanges)) {
        if (change.upserted.has(ex.id)) expect(ex.revision).toBe((before.get(ex.id) ?? 0) + 1);
        else expect(ex.revision).toBe(before.get(ex.id));
      }
    }
  });

  it('re-analyzes an exchange after each event, as a fresh analysis does', () => {
    const state: CaptureState = emptyState();
    const seen = new Set<string>();
    for (const event of [...ehrLaunchEvents(1_000, 'code-1'), ...ehrLaunchEvents(5_000, 'code-2', '2')]) {
      applyEvent(state, event, ctx);
      const live = Object.values(state.exchanges);
      const incremental = JSON.stringify(analyze(live));
      expect(incremental).toBe(JSON.stringify(analyze(structuredClone(live))));
      seen.add(incremental);
    }
    // The launches changed as events arrived (so the comparison above was not of one frozen result).
    expect(seen.size).toBeGreaterThan(5);
    const launches = analyze(Object.values(state.exchanges));
    expect(launches.map((l) => l.status).sort()).toEqual(['succeeded', 'succeeded']);
  });
});
