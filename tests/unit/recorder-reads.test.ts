import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { JOURNAL_PREFIX } from '../../entrypoints/background/journal';
import type { RecordArea } from '../../entrypoints/background/records';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';
import { newRecorder } from '../fixtures/capture/recorder';

/**
 * Reads apply the journaled events and analyze without waiting for the records to be written: under
 * traffic a write to storage.local can take a long time, and the events are durable in the journal
 * already. These tests hold a write open and check what reads, later writes and a restart see.
 */

const SECRET = 'Qx7secretAuthorizationCode0123456789';

/** storage.local whose writes wait while `held` is set, until released. */
function heldLocal() {
  let release: () => void = () => {};
  let gate: Promise<void> | undefined;
  const area: RecordArea = {
    get: (keys) => fakeBrowser.storage.local.get(keys),
    set: async (items) => {
      if (gate) await gate;
      await fakeBrowser.storage.local.set(items);
    },
    remove: async (keys) => {
      if (gate) await gate;
      await fakeBrowser.storage.local.remove(keys);
    },
  };
  return {
    area,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release() {
      gate = undefined;
      release();
    },
  };
}

const journalKeys = async () =>
  Object.keys(await fakeBrowser.storage.session.get(null)).filter((k) => k.startsWith(JOURNAL_PREFIX));

const outline = async (rec: ReturnType<typeof newRecorder>) =>
  JSON.stringify(
    (await rec.list()).map((l) => [l.status, l.steps.map((s) => `${s.exchange.id} ${s.exchange.phase}`)]),
  );

/** Settles promise callbacks and fake storage (which answers on later tasks). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * One launch's events into `rec`: the first half, then a write of them that `local` holds open, then the
 * second half while it is held. Returns the events, the size of the first half and the held write.
 */
async function launchDuringHeldWrite(
  rec: ReturnType<typeof newRecorder>,
  local: ReturnType<typeof heldLocal>,
) {
  await rec.ready;
  const events = ehrLaunchEvents(1000, SECRET);
  const half = Math.floor(events.length / 2);
  for (const e of events.slice(0, half)) rec.ingest(e);
  local.hold();
  const writing = rec.flush();
  await settle();
  for (const e of events.slice(half)) rec.ingest(e);
  return { events, half, writing };
}

describe('recorder reads while records are being written', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a read gets the latest events while a write is held, and tells what it applied', async () => {
    const local = heldLocal();
    let applied = 0;
    const rec = newRecorder({ local: local.area, onApplied: () => applied++ });
    const { writing } = await launchDuringHeldWrite(rec, local);
    const before = applied;
    // The write is still held: the read does not wait for it.
    const launches = await rec.list();
    expect(launches[0]!.status).toBe('succeeded');
    expect(applied).toBe(before + 1);
    local.release();
    await writing;
    await rec.flush();
    expect(await journalKeys()).toEqual([]);
  });

  it('a write leaves in the journal the events applied while it was under way, for a restart to replay', async () => {
    const local = heldLocal();
    const whole = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) whole.ingest(e);
    const expected = await outline(whole);
    await whole.flush();
    fakeBrowser.reset();

    const rec = newRecorder({ local: local.area });
    const { events, half, writing } = await launchDuringHeldWrite(rec, local);
    await rec.list();
    local.release();
    await writing;
    // Only the first half's entries were written into records and removed from the journal.
    expect(await journalKeys()).toHaveLength(events.length - half);
    // The worker stops here: a new one replays the rest onto the records, each entry once.
    const next = newRecorder();
    expect(await outline(next)).toBe(expected);
    await next.flush();
    expect(await journalKeys()).toEqual([]);
    expect(await outline(newRecorder())).toBe(expected);
  });

  it('clearing while a write is held leaves no records behind', async () => {
    const local = heldLocal();
    const rec = newRecorder({ local: local.area });
    await rec.ready;
    for (const e of ehrLaunchEvents(1000, SECRET)) rec.ingest(e);
    local.hold();
    const writing = rec.flush();
    await settle();
    const clearing = rec.clear();
    await settle();
    local.release();
    await writing;
    await clearing;
    expect(await rec.list()).toEqual([]);
    const stored = Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) =>
      /^rec\.(x|t)\./.test(k),
    );
    expect(stored).toEqual([]);
    expect(await newRecorder().list()).toEqual([]);
  });
});
