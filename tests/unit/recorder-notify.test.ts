import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeNotifier, createNoticeSender, NOTIFY_MS } from '../../entrypoints/background/notify';
import { LAUNCHES_CHANGED, type LaunchesChanged, type SummaryChanges } from '../../utils/messages/launches';

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

describe('notices with the summary changes', () => {
  const NO_PAGE = 'Could not establish connection. Receiving end does not exist.';

  /** A sender whose analysis answers when the test says so, at the version the test sets. */
  const sender = () => {
    const state = {
      version: 0,
      asked: [] as number[],
      hold: undefined as Promise<void> | undefined,
      /** Held deliveries: the page has not taken the message yet. */
      delivery: undefined as Promise<void> | undefined,
    };
    const sent: LaunchesChanged[] = [];
    let fail: string | undefined;
    const errors: unknown[] = [];
    const notices = createNoticeSender({
      changesSince: async (from) => {
        state.asked.push(from);
        await state.hold;
        const changes: SummaryChanges = {
          epoch: 'w',
          version: state.version,
          full: false,
          upserted: [],
          removed: [],
        };
        return changes;
      },
      send: async (notice) => {
        sent.push(notice);
        await state.delivery;
        if (fail) throw new Error(fail);
      },
      onError: (error) => errors.push(error),
    });
    const notice = (n: number): LaunchesChanged => ({
      type: LAUNCHES_CHANGED,
      health: { writeError: { message: `w${n}`, at: n } },
    });
    const send = (n: number) => notices.send(notice(n)).catch(() => undefined);
    return { state, sent, errors, notices, send, failWith: (m?: string) => (fail = m) };
  };

  it('carries nothing and asks for no analysis until a page has read the summaries', async () => {
    const { state, sent, send } = sender();
    await send(1);
    expect(sent.map((n) => n.changes)).toEqual([undefined]);
    expect(state.asked).toEqual([]);
  });

  it('carries the changes since the previous notice once a page follows, from the version it read', async () => {
    const { state, sent, notices, send } = sender();
    notices.followed(3);
    // A second page reading later holds a later version: the mark stays where the first one is.
    notices.followed(5);
    state.version = 6;
    await send(1);
    state.version = 9;
    await send(2);
    expect(state.asked).toEqual([3, 6]);
    expect(sent.map((n) => [n.changes?.from, n.changes?.version])).toEqual([
      [3, 6],
      [6, 9],
    ]);
    expect(sent[1]!.health).toEqual({ writeError: { message: 'w2', at: 2 } });
  });

  it('stops once a notice finds no page, and goes on after another error', async () => {
    const { state, sent, notices, send, failWith } = sender();
    notices.followed(1);
    state.version = 2;
    failWith('something else went wrong');
    await send(1);
    await send(2);
    failWith(NO_PAGE);
    await send(3);
    failWith(undefined);
    await send(4);
    expect(sent.map((n) => n.changes?.from)).toEqual([1, 2, 2, undefined]);
    notices.followed(7);
    await send(5);
    expect(sent.at(-1)!.changes?.from).toBe(7);
  });

  it('goes out without changes when the analysis fails, and the pages read', async () => {
    const { state, sent, errors, notices, send } = sender();
    notices.followed(1);
    state.hold = Promise.reject(new Error('storage gone'));
    state.hold.catch(() => undefined);
    await send(1);
    expect(sent.map((n) => n.changes)).toEqual([undefined]);
    expect(errors.map(String)).toEqual(['Error: storage gone']);
  });

  it('keeps one notice waiting behind a slow analysis, with the newest health', async () => {
    const { state, sent, notices, send } = sender();
    notices.followed(0);
    let release!: () => void;
    state.hold = new Promise((resolve) => {
      release = resolve;
    });
    state.version = 4;
    const first = send(1);
    // Its analysis has begun.
    await vi.waitFor(() => expect(state.asked).toEqual([0]));
    const all = [first, ...[2, 3, 4, 5].map(send)];
    expect(sent).toEqual([]);
    release();
    await Promise.all(all);
    // The first one, and one for the four that came during its analysis.
    expect(sent.map((n) => n.health.writeError?.message)).toEqual(['w1', 'w5']);
    expect(sent.map((n) => n.changes?.from)).toEqual([0, 4]);
  });

  it('sends the next notice while a busy page has yet to take the one before', async () => {
    const { state, sent, notices } = sender();
    notices.followed(0);
    state.delivery = new Promise(() => undefined);
    state.version = 1;
    void notices.send({ type: LAUNCHES_CHANGED, health: {} });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    state.version = 2;
    void notices.send({ type: LAUNCHES_CHANGED, health: {} });
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent.map((n) => [n.changes?.from, n.changes?.version])).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});
