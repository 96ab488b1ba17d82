/**
 * The recorder under faults, in a real Chromium: the service worker is stopped (DevTools protocol
 * ServiceWorker.stopAllWorkers) right after each kind of event it handles, through five launches in a
 * row; then the browser is closed and reopened on the same profile. Every event the extension received
 * must be in its log, every launch must come out as it does without stops, and the rule, the settings and
 * the log must survive the restart.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byKey, type JournalEntry } from '../../entrypoints/background/journal';
import { applyEvent, type CaptureEvent, emptyState } from '../../utils/capture';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { APP_ORIGIN } from './companion';
import { type Harness, startHarness } from './harness';
import { ask, type Chrome, CONSOLE, listLaunches, probeLaunch } from './launches';

/**
 * What must not change when the worker is stopped: status and every step, by kind and method. CORS
 * preflights are left out: Chromium caches them, so only the first launch sends one.
 */
const outline = (l: Launch) => ({
  status: l.status,
  steps: l.steps
    .filter((s) => s.exchange.method !== 'OPTIONS')
    .map((s) => `${s.kind} ${s.exchange.method}`)
    .sort(),
});

/** A journal entry as the test reads it. */
interface Journaled {
  key: string;
  event: CaptureEvent;
}

/** Outlines in a stable order, to compare two lists of launches as multisets. */
const outlines = (ls: readonly Launch[]) =>
  ls
    .map((l) => JSON.stringify(outline(l)))
    .sort()
    .map((text) => JSON.parse(text) as ReturnType<typeof outline>);

/**
 * The launches the product makes of exactly these journal entries, replayed here with the extension's
 * own reducer and analysis: what a recorder that lost nothing it was given would show. When the browser
 * dropped an event (see stopAfterEvents), a launch can come out in two parts; all of them are compared.
 */
function replayed(entries: Map<string, Journaled>, granted: (url: string) => boolean): Launch[] {
  const state = emptyState();
  const ctx = { redact: true, hasHostPermission: granted };
  for (const entry of [...entries.values()].sort(byKey)) applyEvent(state, entry.event, ctx);
  return analyze(Object.values(state.exchanges), { now: Date.now() });
}

/** Every kind of event a launch gives the recorder (the probe app's flow). */
const ALL_KINDS = new Set([
  'request',
  'send-headers',
  'headers',
  'redirect',
  'completed',
  'nav-before',
  'nav-committed',
]);

/** A stop waits until no event has been journaled for this long (see stopAfterEvents). */
const QUIET_MS = 20;

/**
 * Stops the extension's worker right after each kind of event it handles. The extension page `ext`
 * watches storage.session: the recorder journals every event there before its listener returns, so a new
 * journal key means the listener for that event has run. Each stop then holds the sandbox's traffic, lets
 * what is already on its way be handled (no new journal entry for QUIET_MS, well under the recorder's
 * 200 ms compaction delay), stops the worker over the DevTools protocol and lets the traffic go; the next
 * event wakes a new worker, which must replay the journal. Holding the traffic matters: Chromium drops
 * events it dispatches to a worker while stopping it, before any code of ours runs (a browser limit no
 * extension can work around; a stop under flowing traffic lost whole requests that way).
 * Kinds not yet followed by a stop (`covered`: by earlier launches) go first, so each kind gets its turn.
 */
async function stopAfterEvents(h: Harness, ext: Page, cdp: CDPSession, covered: ReadonlySet<string>) {
  /** The running status of each extension service-worker version, as the browser reports it. */
  const running = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (v.scriptURL.startsWith('chrome-extension://')) running.set(v.versionId, v.runningStatus);
    }
  });
  await cdp.send('ServiceWorker.enable');
  /** Kinds of the events that were followed by a stop, in order. */
  const stoppedAfter: string[] = [];
  /** Journal entries not yet compacted at each stop (the ones a new worker must replay). */
  const outstanding: number[] = [];
  const seen = new Set<string>();
  const journal = new Set<string>();
  let lastWrite = Date.now();
  let stopping: Promise<void> | undefined;
  /** Set once the attempt is over: no more stops. */
  let ended = false;
  /** Every journal entry written while watching: what the extension made durable. */
  const entries = new Map<string, Journaled>();
  const trace: string[] = [];
  const t = () => Date.now() % 100000;
  const stop = async () => {
    const release = h.sandbox.hold();
    trace.push(`${t()} hold`);
    try {
      while (Date.now() - lastWrite < QUIET_MS) await new Promise((r) => setTimeout(r, 2));
      outstanding.push(journal.size);
      trace.push(`${t()} stop`);
      await cdp.send('ServiceWorker.stopAllWorkers');
      // The command answers before the worker is down: traffic let go at once can still meet a stopping
      // worker. Released once the browser reports it stopped (or after a second without a report).
      const until = Date.now() + 1000;
      while (Date.now() < until && [...running.values()].some((status) => status !== 'stopped')) {
        await new Promise((r) => setTimeout(r, 2));
      }
      trace.push(`${t()} stopped`);
    } finally {
      release();
    }
  };
  const name = `sldJournaled${Math.random().toString(36).slice(2)}`;
  await ext.exposeBinding(name, (_source, key: string, stored: JournalEntry | null) => {
    if (!stored) {
      journal.delete(key);
      return;
    }
    // Entries hold their event as JSON text (journal.ts).
    const event: CaptureEvent = typeof stored.event === 'string' ? JSON.parse(stored.event) : stored.event;
    const kind = event.kind;
    trace.push(`${t()} ${kind} ${key.slice(6)} ${'url' in event ? event.url.slice(0, 80) : ''}`);
    entries.set(key, { key, event });
    journal.add(key);
    lastWrite = Date.now();
    seen.add(kind);
    if (stopping || ended) return;
    // A kind already stopped after (in this launch or an earlier one) waits while others have not been.
    const done = (k: string) => stoppedAfter.includes(k) || covered.has(k);
    if (done(kind) && [...seen].some((k) => !done(k))) return;
    stoppedAfter.push(kind);
    stopping = stop().finally(() => {
      stopping = undefined;
    });
  });
  await ext.evaluate((binding) => {
    type Changes = Record<string, { newValue?: JournalEntry }>;
    const g = globalThis as unknown as {
      chrome: { storage: { session: { onChanged: { addListener(cb: (c: Changes) => void): void } } } };
    } & Record<string, (key: string, entry: JournalEntry | null) => void>;
    g.chrome.storage.session.onChanged.addListener((changes) => {
      for (const [key, change] of Object.entries(changes)) {
        if (key.startsWith('rec.j.')) g[binding]!(key, change.newValue ?? null);
      }
    });
  }, name);
  return {
    stoppedAfter,
    outstanding,
    trace,
    entries,
    /** Ends the stops (one under way still finishes). */
    stop: () => {
      ended = true;
    },
    /** Waits for a stop still under way. */
    settle: async () => {
      while (stopping) await stopping;
    },
  };
}

describe('recorder under faults (e2e)', () => {
  let h: Harness;
  let ext: Page;
  let baseline: ReturnType<typeof outline>;

  beforeAll(async () => {
    h = await startHarness({ quirk: 'none' });
    // The app's token request and FHIR read are recorded too, so a launch has every kind of step.
    await h.grantOrigins([`${APP_ORIGIN}/*`]);
    ext = await h.extensionPage('popup.html');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a launch without stops: the baseline', async () => {
    await probeLaunch(h.context);
    await expect
      .poll(async () => (await listLaunches(ext))[0]?.status, { timeout: 20_000 })
      .toBe('succeeded');
    const launches = await listLaunches(ext);
    expect(launches).toHaveLength(1);
    baseline = outline(launches[0]!);
    expect(baseline.steps).toEqual(
      expect.arrayContaining(['callback GET', 'token POST', 'fhir GET', 'idp-login POST']),
    );
  });

  it('worker stopped right after each kind of event, 5 launches in a row: each recorded as without stops', async () => {
    const cdp = await h.context.newCDPSession(ext);
    const kinds = new Set<string>();
    const granted = (url: string) =>
      /^https:\/\/([^/]+\.cerner\.com|companion\.smartdebugger\.test)\//.test(url);
    const attempts: number[] = [];
    const outstanding: number[] = [];
    // Five launches, and more (up to eight) while a kind of event has not yet been followed by a stop.
    for (let i = 0; i < 5 || (i < 8 && kinds.size < ALL_KINDS.size); i++) {
      let attempt = 0;
      for (;;) {
        attempt++;
        const before = new Set((await listLaunches(ext)).map((l) => l.id));
        const watcher = await h.extensionPage('popup.html');
        const stops = await stopAfterEvents(h, watcher, cdp, kinds);
        try {
          await probeLaunch(h.context);
          await stops.settle();
          expect(stops.stoppedAfter.length).toBeGreaterThanOrEqual(3);
          for (const k of stops.stoppedAfter) kinds.add(k);
          outstanding.push(...stops.outstanding);
          // Nothing the extension made durable is lost: the launches it shows since the attempt began are
          // exactly what its journal entries make (read again on each try, as entries handled by a
          // restarting worker may still be arriving).
          await expect
            .poll(
              async () => {
                const shown = outlines((await listLaunches(ext)).filter((l) => !before.has(l.id)));
                const expected = outlines(replayed(stops.entries, granted));
                return isDeepStrictEqual(shown, expected) ? shown : { differs: { shown, expected } };
              },
              { timeout: 20_000 },
            )
            .not.toHaveProperty('differs');
        } finally {
          // No stop may outlive the attempt: a later test's message would find the worker stopping.
          stops.stop();
          await stops.settle();
          await watcher.close();
        }
        const got = (await listLaunches(ext)).filter((l) => !before.has(l.id));
        if (got.length === 1 && isDeepStrictEqual(outline(got[0]!), baseline)) break;
        // Otherwise Chromium dropped events it dispatched while stopping the worker (before any code of
        // ours ran: they are not in the journal). The launch is run again, at most three times.
        if (process.env.SLD_DEBUG)
          console.log(stops.trace.join('\n'), JSON.stringify(got.map(outline)), JSON.stringify(baseline));
        expect(attempt, `launch ${i + 1}: events lost by the browser in 4 attempts`).toBeLessThan(4);
      }
      attempts.push(attempt);
    }
    // Over the five launches, every kind of event a launch produces was followed by a stop.
    expect(kinds).toEqual(ALL_KINDS);
    // How often a stop found journal entries not yet compacted, which the next worker had to replay.
    const replays = outstanding.filter((n) => n > 0).length;
    console.log(
      `recorder-faults: ${outstanding.length} stops, ${replays} with entries to replay; attempts per launch ${attempts.join(' ')}`,
    );
    await cdp.detach();
  });

  it('a web page cannot reach the background, and a corrupt HAR is refused with the log unchanged', async () => {
    const page = await h.context.newPage();
    await page.goto(CONSOLE);
    // No externally_connectable in the manifest: web pages get no runtime messaging to the extension at all.
    expect(
      await page.evaluate(
        () =>
          typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime
            ?.sendMessage,
      ),
    ).toBe('undefined');
    await page.close();
    const manifest = await ext.evaluate(() =>
      (
        globalThis as unknown as { chrome: { runtime: { getManifest(): object } } }
      ).chrome.runtime.getManifest(),
    );
    expect(manifest).not.toHaveProperty('externally_connectable');
    const before = (await listLaunches(ext)).map(outline);
    const reply = await ext.evaluate(() =>
      (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({
        type: 'launches/import-har',
        payload: { fileName: 'corrupt.har', text: '{"log":{"entries":[{"request":' },
      }),
    );
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not valid JSON/) } });
    expect((await listLaunches(ext)).map(outline)).toEqual(before);
  });

  it('closing and reopening the browser keeps the rule, the settings and the log', async () => {
    await ask(ext, 'rules/set', { enabled: true });
    const settings = { maxLaunches: 50, maxAgeDays: 3, keepSecrets: false };
    await ask(ext, 'recorder/settings/set', settings);
    const launches = (await listLaunches(ext)).map(outline);
    // The baseline and the four launches with stops (more when a stop test was retried).
    expect(launches.length).toBeGreaterThanOrEqual(5);
    await h.restart();
    ext = await h.extensionPage('popup.html');
    expect(await ask<{ enabled: boolean }>(ext, 'rules/get')).toMatchObject({ enabled: true });
    expect(await ask(ext, 'recorder/settings/get')).toEqual(settings);
    expect((await listLaunches(ext)).map(outline)).toEqual(launches);
    expect(await ask(ext, 'recorder/health')).toEqual({});
  });
});
