import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeNotifier, NOTIFY_MS } from '../../entrypoints/background/notify';
import type { LaunchesChanged } from '../../utils/messages/launches';

describe('change notices to the pages', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const notifier = () => {
    const sent: { at: number; notice: LaunchesChanged }[] = [];
    const notify = createChangeNotifier(
      async (notice) => {
        sent.push({ at: Date.now(), notice });
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      () => Date.now(),
    );
    return { sent, notify };
  };

  it('tells the first change at once, one notice for the changes of one task, with the latest health', async () => {
    const { sent, notify } = notifier();
    const start = Date.now();
    notify({});
    notify({ writeError: { message: 'disk full', at: 1, kind: 'save' } });
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([
      {
        at: start,
        notice: {
          type: 'launches/changed',
          health: { writeError: { message: 'disk full', at: 1, kind: 'save' } },
        },
      },
    ]);
  });

  it('tells a stream of changes at most once per NOTIFY_MS and never later than NOTIFY_MS after a change', async () => {
    const { sent, notify } = notifier();
    const start = Date.now();
    const changedAt: number[] = [];
    // A change every 10 ms for a second.
    for (let t = 0; t < 1000; t += 10) {
      changedAt.push(Date.now());
      notify();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(NOTIFY_MS);
    const times = sent.map((s) => s.at);
    expect(times[0]).toBe(start);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(NOTIFY_MS);
    // Every change is covered by a notice sent at or after it, at most NOTIFY_MS later.
    for (const at of changedAt) {
      const told = times.find((t) => t >= at);
      expect(told).toBeDefined();
      expect(told! - at).toBeLessThanOrEqual(NOTIFY_MS);
    }
    expect(times.length).toBeLessThanOrEqual(Math.ceil(1000 / NOTIFY_MS) + 1);
  });

  it('survives no page listening and keeps the last health for a notice without one', async () => {
    const { sent, notify } = notifier();
    notify({ writeError: { message: 'disk full', at: 1, kind: 'save' } });
    await vi.advanceTimersByTimeAsync(0);
    notify();
    await vi.advanceTimersByTimeAsync(NOTIFY_MS);
    notify({});
    await vi.advanceTimersByTimeAsync(NOTIFY_MS);
    expect(sent.map((s) => s.notice.health)).toEqual([
      { writeError: { message: 'disk full', at: 1, kind: 'save' } },
      { writeError: { message: 'disk full', at: 1, kind: 'save' } },
      {},
    ]);
  });
});
