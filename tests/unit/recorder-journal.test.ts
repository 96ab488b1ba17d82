import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { JOURNAL_PREFIX } from '../../entrypoints/background/journal';
import { COMPACT_MS } from '../../entrypoints/background/recorder';
import type { RecordArea } from '../../entrypoints/background/records';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';
import { newRecorder } from '../fixtures/capture/recorder';

const SECRET = 'Qx7secretAuthorizationCode0123456789';

/** storage.local as the recorder sees it, with every `set` call's keys logged. */
function loggedLocal() {
  const sets: string[][] = [];
  const area: RecordArea = {
    get: (keys) => fakeBrowser.storage.local.get(keys),
    set: (items) => {
      sets.push(Object.keys(items));
      return fakeBrowser.storage.local.set(items);
    },
    remove: (keys) => fakeBrowser.storage.local.remove(keys),
  };
  return { area, sets };
}

const journal = async () =>
  Object.entries(await fakeBrowser.storage.session.get(null)).filter(([k]) => k.startsWith(JOURNAL_PREFIX));

describe('recorder journal and records', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('makes each event durable before ingest returns, redacted', async () => {
    const rec = newRecorder();
    await rec.ready;
    const events = ehrLaunchEvents(1000, SECRET);
    for (const e of events) rec.ingest(e);
    // No await in between: the journal already holds every event.
    const entries = await journal();
    expect(entries).toHaveLength(events.length);
    expect(JSON.stringify(entries)).not.toContain(SECRET);
    await rec.flush();
    expect(await journal()).toEqual([]);
  });

  it('replays a stopped worker’s journal exactly once', async () => {
    const events = ehrLaunchEvents(1000, SECRET);
    const first = newRecorder();
    for (const e of events) first.ingest(e);
    const leftover = Object.fromEntries(await journal());
    await first.flush();
    const expected = JSON.stringify(await first.list());
    // A worker stopped after writing the records but before deleting the journal entries.
    await fakeBrowser.storage.session.set(leftover);
    const { area, sets } = loggedLocal();
    const second = newRecorder({ local: area });
    expect(JSON.stringify(await second.list())).toBe(expected);
    // Reads apply the journal; the records and the journal are written by the next compaction.
    await second.flush();
    expect(sets.flat().filter((k) => k.startsWith('rec.x.'))).toEqual([]);
    expect(await journal()).toEqual([]);
  });

  it('replays an entry a stopped worker wrote late, even when it sorts before entries already applied', async () => {
    const events = ehrLaunchEvents(1000, SECRET);
    const outline = async (rec: ReturnType<typeof newRecorder>) =>
      (await rec.list()).flatMap((l) => l.steps.map((s) => `${s.exchange.id} ${s.exchange.phase}`));
    const whole = newRecorder();
    for (const e of events) whole.ingest(e);
    const expected = await outline(whole);
    fakeBrowser.reset();
    // Worker A journals every event; its write of the last one lands only after worker B (started
    // later, so with larger keys) has compacted and recorded an event of its own.
    const a = newRecorder({ now: () => 10_000 });
    for (const e of events.slice(0, -1)) a.ingest(e);
    await a.flush();
    a.ingest(events.at(-1)!);
    const late = Object.fromEntries(await journal());
    expect(Object.keys(late)).toHaveLength(1);
    await fakeBrowser.storage.session.remove(Object.keys(late));
    const b = newRecorder({ now: () => 20_000 });
    await b.ready;
    b.ingest({
      kind: 'request',
      requestId: 'other',
      url: 'https://fhir-ehr-code.cerner.com/r4/x/Patient/1',
      tabId: 7,
      timeStamp: 20_000,
      method: 'GET',
      frameId: 0,
      parentFrameId: -1,
      type: 'xmlhttprequest',
    });
    await b.flush();
    await fakeBrowser.storage.session.set(late);
    // Worker C replays what is left: A's late entry, whose key sorts before B's.
    const c = newRecorder({ now: () => 30_000 });
    expect(await outline(c)).toEqual(expect.arrayContaining(expected));
    await c.flush();
    expect(await journal()).toEqual([]);
  });

  it('replays journal entries an earlier version stored as objects', async () => {
    const events = ehrLaunchEvents(1000, SECRET);
    const first = newRecorder();
    for (const e of events) first.ingest(e);
    const stored = Object.fromEntries(await journal()) as Record<string, { key: string; event: unknown }>;
    expect(Object.values(stored).every((entry) => typeof entry.event === 'string')).toBe(true);
    await first.flush();
    const expected = JSON.stringify(await first.list());
    fakeBrowser.reset();
    const asObjects = Object.fromEntries(
      Object.entries(stored).map(([k, entry]) => [k, { ...entry, event: JSON.parse(entry.event as string) }]),
    );
    await fakeBrowser.storage.session.set(asObjects);
    const second = newRecorder();
    expect(JSON.stringify(await second.list())).toBe(expected);
  });

  it('writes only the records an event changed', async () => {
    const { area, sets } = loggedLocal();
    const rec = newRecorder({ local: area });
    const events = ehrLaunchEvents(1000, SECRET);
    for (const e of events.slice(0, -1)) rec.ingest(e);
    await rec.flush();
    const total = Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) =>
      k.startsWith('rec.x.'),
    );
    expect(total.length).toBeGreaterThan(4);
    sets.length = 0;
    rec.ingest(events.at(-1)!);
    await rec.flush();
    const written = sets.flat().filter((k) => k.startsWith('rec.x.'));
    expect(written).toHaveLength(1);
    expect(written[0]).toContain(`webRequest:${(events.at(-1) as { requestId: string }).requestId}`);
  });

  it('writes records as JSON text, and still reads records stored as objects; a damaged one is skipped', async () => {
    const first = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) first.ingest(e);
    await first.flush();
    const expected = JSON.stringify(await first.list());
    const all = await fakeBrowser.storage.local.get(null);
    const records = Object.entries(all).filter(([k]) => /^rec\.(x\.|t\.|m$)/.test(k));
    expect(records.length).toBeGreaterThan(2);
    for (const [key, value] of records) expect(typeof value, key).toBe('string');
    // As earlier versions wrote them: objects.
    await fakeBrowser.storage.local.set(
      Object.fromEntries(records.map(([k, v]) => [k, JSON.parse(v as string)])),
    );
    expect(JSON.stringify(await newRecorder().list())).toBe(expected);
    await fakeBrowser.storage.local.set({
      'rec.x.damaged': '{"id": "damaged", "url',
      'rec.t.damaged': 'nul',
    });
    expect(JSON.stringify(await newRecorder().list())).toBe(expected);
  });

  it('keeps launches apart after a browser restart, though the browser numbers its requests again', async () => {
    const first = newRecorder({ now: () => 1_000 });
    for (const e of ehrLaunchEvents(1_000, SECRET, 'a')) first.ingest(e);
    const before = await first.list();
    expect(before).toHaveLength(1);
    // Written by the compaction that follows within COMPACT_MS (reads apply events; they do not write).
    await first.flush();
    // A browser restart: storage.session is emptied, storage.local kept. The next launch, 30 s later,
    // gets the same request ids as the one before (and runs in a tab with the same id).
    await fakeBrowser.storage.session.clear();
    const later = 31_000;
    const second = newRecorder({ now: () => later + 10_000 });
    for (const e of ehrLaunchEvents(later, 'Zz9otherAuthorizationCode98765432', 'b')) {
      second.ingest('requestId' in e ? { ...e, requestId: e.requestId.replace(/^b-/, 'a-') } : e);
    }
    const after = await second.list();
    expect(after).toHaveLength(2);
    await second.flush();
    const old = after.find((l) => l.id === before[0]!.id);
    expect(old?.steps.map((s) => s.exchange.id)).toEqual(before[0]!.steps.map((s) => s.exchange.id));
    const fresh = after.find((l) => l !== old)!;
    expect(fresh.steps.every((s) => s.exchange.startedAt >= later)).toBe(true);
    // A worker restart within the same browser session keeps the same ids.
    const third = newRecorder({ now: () => later + 20_000 });
    expect((await third.list()).map((l) => l.id)).toEqual(after.map((l) => l.id));
  });

  it('migrates the old single-key state into records on start', async () => {
    const old = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) old.ingest(e);
    const launches = JSON.stringify(await old.list());
    await old.flush();
    const all = await fakeBrowser.storage.local.get(null);
    const state = {
      exchanges: {} as Record<string, unknown>,
      requests: {} as Record<string, unknown>,
      openers: {},
      navStarts: {},
    };
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith('rec.x.')) state.exchanges[key.slice(6)] = JSON.parse(value as string);
      if (key.startsWith('rec.t.')) state.requests[key.slice(6)] = JSON.parse(value as string);
    }
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ 'recorder.state': state, 'recorder.state$': { v: 1 } });
    const rec = newRecorder();
    expect(JSON.stringify(await rec.list())).toBe(launches);
    const after = await fakeBrowser.storage.local.get(null);
    expect(after['recorder.state']).toBeUndefined();
    expect(after['recorder.state$']).toBeUndefined();
    expect(Object.keys(after).filter((k) => k.startsWith('rec.x.')).length).toBe(
      Object.keys(state.exchanges).length,
    );
  });

  it('reports a failing storage write, keeps recording, and writes everything once storage works again', async () => {
    let broken = true;
    const area: RecordArea = {
      get: (keys) => fakeBrowser.storage.local.get(keys),
      set: async (items) => {
        if (broken) throw new Error('QUOTA_BYTES quota exceeded');
        await fakeBrowser.storage.local.set(items);
      },
      remove: (keys) => fakeBrowser.storage.local.remove(keys),
    };
    const told: unknown[] = [];
    const rec = newRecorder({ local: area, onChange: (h) => told.push(h), onError: () => {} });
    const events = ehrLaunchEvents(1000, SECRET);
    for (const e of events.slice(0, 5)) rec.ingest(e);
    await rec.flush();
    const health = await rec.health();
    expect(health.writeError?.message).toMatch(
      /Could not save recorded launches: QUOTA_BYTES quota exceeded/,
    );
    expect(told).toContainEqual(health);
    // The events are still journaled: nothing is lost if the worker stops now.
    expect((await journal()).length).toBe(5);
    broken = false;
    for (const e of events.slice(5)) rec.ingest(e);
    const launches = await rec.list();
    expect(launches[0]!.status).toBe('succeeded');
    await rec.flush();
    expect(await rec.health()).toEqual({});
    expect(await journal()).toEqual([]);
    expect(JSON.stringify(await newRecorder().list())).toBe(JSON.stringify(launches));
  });

  it('a failing journal is reported until a journal write succeeds again; the launch is kept all the same', async () => {
    let full = true;
    const session: RecordArea = {
      get: (keys) => fakeBrowser.storage.session.get(keys),
      set: async (items) => {
        if (full) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
        await fakeBrowser.storage.session.set(items);
      },
      remove: (keys) => fakeBrowser.storage.session.remove(keys),
    };
    let now = 10_000;
    const told: unknown[] = [];
    const rec = newRecorder({ session, now: () => now, onChange: (h) => told.push(h), onError: () => {} });
    const events = ehrLaunchEvents(1000, SECRET);
    for (const e of events.slice(0, 5)) {
      rec.ingest(e);
      await new Promise((r) => setTimeout(r, 0));
      now += 10;
    }
    await rec.flush();
    const first = await rec.health();
    expect(first.writeError?.message).toBe(
      'Could not record an event: Session storage quota bytes exceeded. Values were not stored',
    );
    // The time of the first failure, kept while every later write fails the same way.
    expect(first.writeError?.at).toBe(10_000);
    expect(first.writeError?.kind).toBe('journal');
    for (const e of events.slice(5)) rec.ingest(e);
    const launches = await rec.list();
    await rec.flush();
    // Compacted into storage.local, which works: the launch is whole, but the warning stays.
    expect(launches[0]!.status).toBe('succeeded');
    expect(await rec.health()).toEqual(first);
    // Every notice the pages got names that first failure (not a new one per event).
    expect(
      told
        .filter((h) => JSON.stringify(h) !== '{}')
        .every((h) => JSON.stringify(h) === JSON.stringify(first)),
    ).toBe(true);
    expect(JSON.stringify(await newRecorder().list())).toBe(JSON.stringify(launches));
    // Room again: the next event is journaled and the warning goes.
    full = false;
    rec.ingest(events[0]!);
    await rec.flush();
    expect(await rec.health()).toEqual({});
    expect(told.at(-1)).toEqual({});
  });
});

describe('recorder timing', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => vi.useRealTimers());

  it('tells the pages of each event as it is journaled, before its batch is compacted', async () => {
    const told: number[] = [];
    let changes = 0;
    const rec = newRecorder({ onEvent: () => told.push(changes), onChange: () => changes++ });
    await rec.ready;
    const events = ehrLaunchEvents(1000, SECRET);
    for (const e of events) rec.ingest(e);
    // Every event told at once, none compacted yet: a page reading on the notice compacts them first.
    expect(told).toEqual(events.map(() => 0));
    // A read applies them without waiting for their records to be written (nothing stored changed yet).
    const launches = await rec.list();
    expect(launches.flatMap((l) => l.steps.map((s) => s.kind))).toContain('callback');
    expect(changes).toBe(0);
    // The compaction the read left scheduled writes them.
    await vi.advanceTimersByTimeAsync(COMPACT_MS);
    expect(changes).toBeGreaterThan(0);
  });

  it('writes each exchange once for the events of a sign-in that arrive within a batch', async () => {
    const { area, sets } = loggedLocal();
    const rec = newRecorder({ local: area });
    await rec.ready;
    const events = ehrLaunchEvents(1000, SECRET);
    // Events 10 ms apart, as a sign-in's redirects and their answers arrive.
    for (const e of events) {
      rec.ingest(e);
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(COMPACT_MS);
    await rec.flush();
    const written = sets.flat().filter((k) => k.startsWith('rec.x.'));
    expect(written.length).toBeGreaterThan(3);
    expect(written).toEqual([...new Set(written)]);
  });
});
