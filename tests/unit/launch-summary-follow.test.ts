import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNoticeSender } from '../../entrypoints/background/notify';
import { createSummaryIndex } from '../../entrypoints/background/summary-index';
import type { LaunchSummary } from '../../utils/launch/summary';
import { followSummaries, type SummaryVersion } from '../../utils/launch/summary-changes';
import { LAUNCHES_CHANGED, type PushedChanges, type SummaryChanges } from '../../utils/messages/launches';
import { summary } from '../fixtures/launches/summary';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A page following the summaries: its reads wait until the test answers them (`answer`), with what the
 * index says at that moment, copied as messaging copies.
 */
function followingPage(index: ReturnType<typeof createSummaryIndex>) {
  const asked: { since: SummaryVersion | undefined; answer: () => void }[] = [];
  const page = {
    list: [] as readonly LaunchSummary[],
    reads: 0,
    failures: [] as unknown[],
    asked,
    /** Answers the oldest read asked. */
    async answer() {
      asked.shift()?.answer();
      await settle();
    },
    follower: followSummaries(
      (since) => {
        page.reads++;
        return new Promise<SummaryChanges>((resolve) => {
          asked.push({
            since,
            answer: () => resolve(structuredClone(index.changes(since?.epoch, since?.version))),
          });
        });
      },
      { list: (next) => (page.list = next), failed: (error) => page.failures.push(error) },
    ),
  };
  return page;
}

describe('summaries followed by a page: changes pushed with the notices', () => {
  const a = summary('a', 3);
  const b = summary('b', 2);
  const c = summary('c', 1);

  const started = async () => {
    const index = createSummaryIndex('w1');
    index.update([b, c]);
    const page = followingPage(index);
    void page.follower.refresh();
    await page.answer();
    expect(page.list).toEqual([b, c]);
    return { index, page };
  };

  it('applies changes that start at the version it holds, without a read', async () => {
    const { index, page } = await started();
    const heldB = page.list[0];
    const from = index.version();
    index.update([a, b, c]);
    page.follower.push(structuredClone({ ...index.changes('w1', from), from }));
    expect(page.list).toEqual([a, b, c]);
    // The unchanged summaries keep their objects (their rows do not render again).
    expect(page.list[1]).toBe(heldB);
    expect(page.reads).toBe(1);
  });

  it('applies changes that start before its version, and ignores changes it already holds', async () => {
    const { index, page } = await started();
    const from = index.version();
    index.update([a, b, c]);
    const first = { ...index.changes('w1', from), from };
    // The page read again before the notice arrived: it holds [a, b, c] already.
    void page.follower.refresh();
    await page.answer();
    page.follower.push(first);
    expect(page.list).toEqual([a, b, c]);
    index.update([a, c]);
    page.follower.push({ ...index.changes('w1', from), from });
    expect(page.list).toEqual([a, c]);
    expect(page.reads).toBe(2);
  });

  it('reads when the changes start after its version, or come from another run of the worker', async () => {
    const { index, page } = await started();
    index.update([a, b, c]);
    // A notice the page missed: the next one starts where that one ended.
    const missed = index.version();
    index.update([a, c]);
    page.follower.push({ ...index.changes('w1', missed), from: missed });
    expect(page.reads).toBe(2);
    await page.answer();
    expect(page.list).toEqual([a, c]);

    const restarted = createSummaryIndex('w2');
    restarted.update([c]);
    page.follower.push({ ...restarted.changes('w2', 0), from: 0 });
    expect(page.reads).toBe(3);
    expect(page.asked[0]!.since).toEqual({ epoch: 'w1', version: index.version() });
  });

  it('keeps changes pushed during a read until it is answered, then applies them', async () => {
    const { index, page } = await started();
    void page.follower.refresh();
    const from = index.version();
    index.update([a, b, c]);
    page.follower.push({ ...index.changes('w1', from), from });
    // Not applied on top of a list that is about to change.
    expect(page.list).toEqual([b, c]);
    const from2 = index.version();
    index.update([a, c]);
    page.follower.push({ ...index.changes('w1', from2), from: from2 });
    // The read answers with the list as it was when it was asked… after both notices went out.
    await page.answer();
    expect(page.list).toEqual([a, c]);
    expect(page.reads).toBe(2);
  });

  it('reads the whole list when pushed changes do not fit the list it holds', async () => {
    const { index, page } = await started();
    const from = index.version();
    index.update([a, b, c]);
    // Changes that claim the ids did not move, yet name one the page never had.
    const broken: PushedChanges = { ...index.changes('w1', from), from, order: undefined };
    page.follower.push(broken);
    expect(page.reads).toBe(2);
    expect(page.asked[0]!.since).toBeUndefined();
    await page.answer();
    expect(page.list).toEqual([a, b, c]);
    expect(page.failures).toEqual([]);
  });

  /**
   * Random histories: the worker's summaries change; notices go out with the changes since the previous
   * notice once a page has read (through the worker's own createNoticeSender); two pages get them in
   * order, each at its own pace, lose one now and then, and read now and then, their answers arriving at
   * any time. At every moment each page shows some list the worker had. Once everything is delivered and
   * a last notice has gone out, every page shows the worker's list, and most changes reached the pages
   * without a read.
   */
  it('ends with the worker’s list on every page, whatever the interleaving', async () => {
    let pushedInAll = 0;
    let readsInAll = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            {
              weight: 2,
              // One launch changes; now and then one comes or goes too.
              arbitrary: fc.record({
                kind: fc.constant('analysis' as const),
                edit: fc.nat(7),
                toggle: fc.option(fc.nat(7), { freq: 4 }),
              }),
            },
            { weight: 2, arbitrary: fc.record({ kind: fc.constant('notice' as const) }) },
            { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), page: fc.nat(1) }) },
            {
              weight: 1,
              arbitrary: fc.record({
                kind: fc.constantFrom('drop' as const, 'read' as const, 'answer' as const),
                page: fc.nat(1),
              }),
            },
          ),
          { minLength: 20, maxLength: 60 },
        ),
        async (steps) => {
          const index = createSummaryIndex('w');
          const pool = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => summary(`l${i}`, 10 - i));
          let current: LaunchSummary[] = pool.slice(0, 5);
          /** Every list the worker has had. */
          const lists: LaunchSummary[][] = [current];
          index.update(current);
          let revision = 0;
          const pages = [followingPage(index), followingPage(index)];
          const inbox: PushedChanges[][] = [[], []];
          // The worker's own notice sender, its messages copied to each page's inbox.
          const notices = createNoticeSender({
            changesSince: async (from) => index.changes('w', from),
            send: async (message) => {
              if (message.changes) for (const box of inbox) box.push(structuredClone(message.changes));
            },
            onError: (error) => {
              throw error;
            },
          });
          const read = async (p: number) => {
            const page = pages[p]!;
            const before = page.reads;
            void page.follower.refresh();
            if (page.reads > before) notices.followed(index.version());
            await settle();
          };
          const notice = () => notices.send({ type: LAUNCHES_CHANGED, health: {} });
          const deliver = async (p: number) => {
            const changes = inbox[p]!.shift();
            if (!changes) return;
            pushedInAll++;
            pages[p]!.follower.push(changes);
            await settle();
          };
          for (const p of [0, 1]) {
            await read(p);
            await pages[p]!.answer();
          }
          for (const step of steps) {
            if (step.kind === 'analysis') {
              const present = new Set(current.map((x) => x.id));
              if (step.toggle !== null) {
                const id = `l${step.toggle}`;
                if (present.has(id)) present.delete(id);
                else present.add(id);
              }
              pool[step.edit] = summary(`l${step.edit}`, 10 - step.edit, `r${++revision}`);
              current = pool.filter((x) => present.has(x.id));
              index.update(current);
              lists.push(current);
            } else if (step.kind === 'notice') await notice();
            else if (step.kind === 'deliver') await deliver(step.page);
            // A notice the page never got (it was not listening yet, say): the next one has a gap.
            else if (step.kind === 'drop') inbox[step.page]!.shift();
            else if (step.kind === 'read') await read(step.page);
            else await pages[step.page]!.answer();
            // Whatever arrived in whatever order, each page shows a list the worker had at some point.
            for (const page of pages) expect(lists).toContainEqual(page.list);
          }
          // Everything still on its way arrives; the last change is told.
          await notice();
          for (let round = 0; round < 10; round++) {
            for (const p of [0, 1]) {
              while (inbox[p]!.length) await deliver(p);
              while (pages[p]!.asked.length) await pages[p]!.answer();
            }
          }
          for (const page of pages) {
            expect(page.list).toEqual(current);
            expect(page.failures).toEqual([]);
            readsInAll += page.reads;
          }
        },
      ),
      { numRuns: 150 },
    );
    // The pushes did the work: far fewer reads than changes delivered.
    expect(pushedInAll).toBeGreaterThan(readsInAll);
  });
});

describe('summaries followed by a page: a launch in progress read again at its reviewAt', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads once the time a status may change by itself has come, and not after stop()', async () => {
    vi.useFakeTimers({ now: 10_000 });
    const index = createSummaryIndex('w1');
    index.update([{ ...summary('a', 1), status: 'in-progress', reviewAt: 40_000 }]);
    let reads = 0;
    const follower = followSummaries(
      async (since) => {
        reads++;
        return structuredClone(index.changes(since?.epoch, since?.version));
      },
      { list: () => undefined, failed: () => undefined },
    );
    await follower.refresh();
    expect(reads).toBe(1);
    // The background now finds it settled: no event announces that.
    index.update([{ ...summary('a', 1), status: 'authorized', reviewAt: undefined }]);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(reads).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(reads).toBe(2);
    // Nothing left to review: no more reads.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(reads).toBe(2);

    index.update([{ ...summary('a', 1), status: 'in-progress', reviewAt: 700_000 }]);
    await follower.refresh();
    follower.stop();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(reads).toBe(3);
  });
});
