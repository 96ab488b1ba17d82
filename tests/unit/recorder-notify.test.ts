import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeNotifier, NOTIFY_MS } from '../../entrypoints/background/notify';
import type { LaunchesChanged } from '../../utils/messages/launches';

describe('change notices to the pages', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one notice per burst, with the latest health, and survives no page listening', async () => {
    const sent: LaunchesChanged[] = [];
    const notify = createChangeNotifier(async (notice) => {
      sent.push(notice);
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    notify({});
    notify({ writeError: { message: 'disk full', at: 1 } });
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(NOTIFY_MS);
    expect(sent).toEqual([
      { type: 'launches/changed', health: { writeError: { message: 'disk full', at: 1 } } },
    ]);
    notify({});
    await vi.advanceTimersByTimeAsync(NOTIFY_MS);
    expect(sent.map((n) => n.health)).toEqual([{ writeError: { message: 'disk full', at: 1 } }, {}]);
  });
});
