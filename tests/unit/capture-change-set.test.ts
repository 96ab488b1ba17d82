import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  type CaptureEvent,
  type CaptureState,
  emptyState,
  pruneState,
} from '../../utils/capture';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';

/** Keys whose JSON differs between two snapshots of a record map. */
function differing(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

const snapshot = (state: CaptureState): CaptureState => structuredClone(state);

/** Two launches in one tab plus a navigation that a later request absorbs, and a duplicate event. */
function events(): CaptureEvent[] {
  const a = ehrLaunchEvents(1000, 'secret-a', 'a');
  const b = ehrLaunchEvents(5000, 'secret-b', 'b');
  return [{ kind: 'tab-opened', tabId: 5, openerTabId: 2, timeStamp: 900 }, ...a, a[3]!, ...b];
}

describe('applyEvent change sets', () => {
  it('name exactly the exchanges, tracks and bookkeeping each event changed', () => {
    const state = emptyState();
    const ctx = { redact: true, hasHostPermission: () => false };
    for (const event of events()) {
      const before = snapshot(state);
      const change = applyEvent(state, event, ctx);
      const exchanges = differing(before.exchanges, state.exchanges);
      // Every changed record is named; a named record may be unchanged (a duplicate event re-sets it).
      expect([...change.upserted, ...change.removed].sort()).toEqual(expect.arrayContaining(exchanges));
      for (const id of change.removed) expect(state.exchanges[id]).toBeUndefined();
      expect([...change.tracks].sort()).toEqual(
        expect.arrayContaining(differing(before.requests, state.requests)),
      );
      const meta = differing(
        { openers: before.openers, navStarts: before.navStarts },
        { openers: state.openers, navStarts: state.navStarts },
      );
      if (meta.length) expect(change.bookkeeping).toBe(true);
    }
    expect(Object.keys(state.exchanges).length).toBeGreaterThan(8);
  });

  it('pruning names what it removed', () => {
    const state = emptyState();
    const ctx = { redact: true, hasHostPermission: () => false };
    for (const event of events()) applyEvent(state, event, ctx);
    const before = snapshot(state);
    const keep = new Set(Object.keys(state.exchanges).filter((id) => id.includes(':b-')));
    const change = pruneState(state, keep, 10_000);
    expect([...change.removed].sort()).toEqual(differing(before.exchanges, state.exchanges));
    expect([...change.tracks].sort()).toEqual(differing(before.requests, state.requests));
    expect(change.upserted.size).toBe(0);
  });
});
