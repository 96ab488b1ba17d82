import {
  abandonAfterMs,
  type CaptureEvent,
  type CaptureState,
  type Change,
  emptyState,
  isEmptyChange,
  mergeChange,
  newChange,
  pruneState,
  type RecorderSettings,
  retainedIds,
  secretKeyBytes,
} from '../../utils/capture';
import { errorMessage } from '../../utils/errors';
import { analyze } from '../../utils/launch/analyze';
import type { RecorderHealth } from '../../utils/messages/launches';
import type { Exchange, Launch } from '../../utils/model';
import { createSerialQueue } from '../../utils/serial-queue';
import { journalForm, reduceEntry } from './capture-entry';
import { createExchangeList } from './exchange-list';
import { byKey, createJournal, type JournalEntry, readJournal } from './journal';
import { loadCopy } from './migrate';
import {
  type Applied,
  isApplied,
  LIVE_RECORDS,
  prepareRecords,
  RAW_RECORDS,
  type RecordArea,
  recordKeysIn,
} from './records';
import { type ImportedFile, importsItem, MAX_IMPORTED_FILES, secretKeyItem, settingsItem } from './store';

/**
 * Journaled events are compacted into records this long after the first of a batch arrives. Events are
 * durable once journaled, and every read applies the journal first without waiting for a write, so this
 * bounds only how long records lag behind the journal: the pages are told of an event when it arrives
 * (RecorderDeps.onEvent), not when it is compacted. Longer batches write each exchange of a sign-in (three
 * to five events) once instead of once per event: in the soak, a third of the compaction time of 40 ms
 * batches (docs/benchmarks.md).
 */
export const COMPACT_MS = 200;
/** Reads of the stored records at worker start before the failure is left to the next event's retry. */
const LOAD_TRIES = 3;
const LOAD_RETRY_MS = 250;
/** storage.session key of the browser session's webRequest id tag (see browserSession). */
export const BROWSER_SESSION_KEY = 'rec.browserSession';
/**
 * storage.local key of where the recording stopped because the browser closed or crashed
 * (ContextOptions.recordingEnds in utils/diagnose/context.ts): the time of the last event of each
 * browser session that ended with launches in the log, oldest first.
 */
export const RECORDING_ENDS_KEY = 'rec.ends';
/** Recording ends kept; older ones concern launches long settled. */
const MAX_RECORDING_ENDS = 20;
/** Retention bounds are applied at most this often (they need a full analysis). */
const PRUNE_EVERY_MS = 60_000;

type WriteError = NonNullable<RecorderHealth['writeError']>;

export interface RecorderDeps {
  now: () => number;
  hasHostPermission: (url: string) => boolean;
  /** Host permission patterns held right now (for findings about invisible steps). */
  watchedOrigins: () => readonly string[];
  onError?: (error: unknown) => void;
  /**
   * Told after stored launches or the recorder's health changed, so open pages can refresh; with the
   * exchanges a batch wrote when that is what changed (none: anything may have changed).
   */
  onChange?: (health: RecorderHealth, written?: WrittenChange) => void;
  /**
   * Told when an event has been journaled, before it is compacted: a page that reads now gets it (reads
   * apply the journal first), so pages can be told of it without waiting for the compaction.
   */
  onEvent?: () => void;
  /**
   * Told, synchronously, when the in-memory state changed (journaled events applied, retention): what
   * list() analyzes is new, though the records may not be written yet.
   */
  onApplied?: () => void;
  /** Awaited before the first event is applied (e.g. reading the current host permissions). */
  beforeReady?: Promise<unknown>;
  /** Storage areas (tests pass failing fakes); default browser.storage.local / .session. */
  local?: RecordArea;
  session?: RecordArea;
}

/** What one compaction changed in the redacted copy. */
export interface WrittenChange {
  upserted: Exchange[];
  removed: string[];
}

/**
 * The launch recorder. Events are journaled as they arrive (durable at once), compacted in batches into
 * one record per exchange written from the reducer's change sets, and analyzed on read. The in-memory
 * state is a cache: a restarted worker rebuilds it from the records and replays the journal.
 */
export function createRecorder(deps: RecorderDeps) {
  const local = deps.local ?? (browser.storage.local as unknown as RecordArea);
  const session = deps.session ?? (browser.storage.session as unknown as RecordArea);
  /** Changes of the in-memory state (applying events, clearing, settings), in order. */
  const queue = createSerialQueue();
  /**
   * Record writes and removals, in order. Apart from `queue`: a read applies the journaled events and
   * analyzes without waiting for the records to be written (the events are durable in the journal).
   */
  const writes = createSerialQueue();
  // A journal write that succeeds ends a journal failure (compaction succeeding does not: the events
  // are then durable only once compacted, and a worker stopped before that loses them).
  const journalArea: RecordArea = {
    get: (keys) => session.get(keys),
    set: (items) => session.set(items).then(() => recovered('journal')),
    remove: (keys) => session.remove(keys),
  };
  const journal = createJournal(journalArea, deps.now, (e) =>
    fail('journal', 'Could not record an event', e),
  );
  const pending = new Map<string, JournalEntry>();
  let live: CaptureState = emptyState();
  /** live's exchanges, for analysis: followed change by change (exchange-list.ts). */
  const liveList = createExchangeList();
  let raw: CaptureState | undefined;
  let settings: RecorderSettings | undefined;
  let imports: ImportedFile[] = [];
  /** The journal entries each copy held when it was loaded (replay skips them). */
  const none = (): Applied => ({ keys: new Set(), upTo: '' });
  const loaded = { live: none(), raw: none() };
  let dirty = { live: newChange(), raw: newChange() };
  /** Keys of the journal entries applied to the state and not yet removed from the journal, in order. */
  const compacted: string[] = [];
  let health: RecorderHealth = {};
  /** The failing kinds of write, each until a write of that kind succeeds; the pages show one. */
  const failures: { load?: WriteError; save?: WriteError; journal?: WriteError } = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPrune = 0;
  /** Set before the first entry is applied (browserSession). */
  let requestTag = '';
  /** RECORDING_ENDS_KEY's list; a new array whenever it changes (analysis memos compare it by identity). */
  let recordingEnds: readonly number[] = [];

  function report(): void {
    const writeError = failures.load ?? failures.save ?? failures.journal;
    const next: RecorderHealth = writeError ? { writeError } : {};
    const changed = JSON.stringify(next) !== JSON.stringify(health);
    health = next;
    if (changed) deps.onChange?.(health);
  }
  function fail(kind: keyof typeof failures, what: string, error: unknown): void {
    deps.onError?.(error);
    // Without its closing period: the pages end the sentence ("Values were not stored." + ". Open…").
    const message = `${what}: ${errorMessage(error)}`.replace(/[.\s]+$/, '');
    // The first failure's time is kept while the same write keeps failing: the pages say launches
    // "since" then may be lost, and a failure per event does not re-notify every page.
    if (failures[kind]?.message !== message) failures[kind] = { message, at: deps.now(), kind };
    report();
  }
  function recovered(kind: keyof typeof failures): void {
    if (!failures[kind]) return;
    delete failures[kind];
    report();
  }

  /**
   * The per-install fingerprint key, read first thing at worker start. An event that arrives before it
   * is read (the one that woke the worker) is journaled at once all the same, without a code fingerprint:
   * being durable matters more, and correlation still has `state` and the verifier challenge.
   */
  let secretKey: Uint8Array | undefined;
  const keyReady = secretKeyItem
    .getValue()
    .then((stored) => {
      secretKey = secretKeyBytes(stored);
    })
    .catch((e) => deps.onError?.(e));

  function journalEvent(event: CaptureEvent): void {
    try {
      const entry = journal.append(...journalForm(event, settings?.keepSecrets ?? false, secretKey));
      pending.set(entry.key, entry);
      schedule();
      deps.onEvent?.();
    } catch (error) {
      fail('journal', 'Could not record an event', error);
    }
  }

  /**
   * The stored records, settings and journal, read into memory. Run again after it failed (whenReady):
   * a read the browser refuses once (a value it cannot parse after the disk was full: "Invalid JSON",
   * which it repairs) must not leave the recorder without its log for the rest of the worker's life.
   * Until it succeeds events keep being journaled, and nothing is written over the stored records.
   */
  async function load(): Promise<void> {
    await keyReady;
    await deps.beforeReady?.catch((e) => deps.onError?.(e));
    const [s, i, localAll, sessionAll] = await Promise.all([
      settingsItem.getValue(),
      importsItem.getValue(),
      local.get(null),
      session.get(null),
    ]);
    settings = structuredClone(s);
    imports = structuredClone(i);
    const liveCopy = await loadCopy(local, localAll, LIVE_RECORDS, 'live');
    live = liveCopy.state;
    liveList.reset(live.exchanges);
    mergeChange(dirty.live, liveCopy.dirty);
    loaded.live = liveCopy.applied;
    if (s.keepSecrets) {
      const rawCopy = await loadCopy(session, sessionAll, RAW_RECORDS, 'raw');
      raw = rawCopy.state;
      mergeChange(dirty.raw, rawCopy.dirty);
      loaded.raw = rawCopy.applied;
    }
    const ends = localAll[RECORDING_ENDS_KEY];
    if (Array.isArray(ends)) recordingEnds = ends.filter((t): t is number => Number.isFinite(t));
    requestTag = await browserSession(sessionAll);
    for (const entry of readJournal(sessionAll)) if (!pending.has(entry.key)) pending.set(entry.key, entry);
    if (pending.size || !isEmptyChange(dirty.live)) schedule();
  }

  /** load(), tried LOAD_TRIES times, LOAD_RETRY_MS apart and more; the failure shown until one succeeds. */
  async function loadWithRetries(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await load();
        recovered('load');
        return;
      } catch (error) {
        fail('load', 'Could not read the stored launches', error);
        if (attempt >= LOAD_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS * attempt));
      }
    }
  }
  let loading = startLoad();
  /** Set once the latest load gave up: the next caller starts another. */
  let loadFailed = false;
  function startLoad(): Promise<void> {
    const attempt = loadWithRetries();
    attempt.catch(() => {
      if (loading === attempt) loadFailed = true;
    });
    return attempt;
  }
  /** Resolves once the stored state is in memory; a load that gave up is started again. */
  function whenReady(): Promise<void> {
    if (loadFailed) {
      loadFailed = false;
      loading = startLoad();
    }
    return loading;
  }

  /**
   * This browser session's tag for webRequest ids (see reduceEntry), kept in storage.session, which the
   * browser empties when it restarts. A session that starts with records from an earlier one gets a new
   * tag, and the request tracks and tab bookkeeping of that earlier session are dropped: its requests are
   * gone, and the browser reuses its request and tab ids. The first session keeps plain ids.
   */
  async function browserSession(sessionAll: Record<string, unknown>): Promise<string> {
    const stored = sessionAll[BROWSER_SESSION_KEY] as { tag?: unknown } | undefined;
    if (stored && typeof stored.tag === 'string') return stored.tag;
    const earlier = Object.keys(live.exchanges).length > 0 || Object.keys(live.requests).length > 0;
    const tag = earlier
      ? `b${deps.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`
      : '';
    if (earlier) {
      await recordingEnded();
      for (const id of Object.keys(live.requests)) dirty.live.tracks.add(id);
      live.requests = {};
      live.openers = {};
      live.navStarts = {};
      dirty.live.bookkeeping = true;
    }
    await session.set({ [BROWSER_SESSION_KEY]: { tag } }).catch((e) => deps.onError?.(e));
    return tag;
  }

  /**
   * The browser session before this one ended: the recording stopped at its last event, and launches
   * that were still moving then were cut off (what they did next, if anything, was not recorded).
   */
  async function recordingEnded(): Promise<void> {
    let last = 0;
    for (const ex of Object.values(live.exchanges)) last = Math.max(last, ex.completedAt ?? ex.startedAt);
    if (last === 0 || recordingEnds.includes(last)) return;
    recordingEnds = [...recordingEnds, last].slice(-MAX_RECORDING_ENDS);
    await local.set({ [RECORDING_ENDS_KEY]: recordingEnds }).catch((e) => deps.onError?.(e));
  }

  function schedule(): void {
    timer ??= setTimeout(() => void compact().catch(deps.onError), COMPACT_MS);
  }

  function ctx() {
    return { hasHostPermission: deps.hasHostPermission };
  }

  function apply(entry: JournalEntry): void {
    try {
      const changes = reduceEntry(
        entry,
        isApplied(loaded.live, entry.key) ? undefined : live,
        raw && !isApplied(loaded.raw, entry.key) ? raw : undefined,
        ctx(),
        requestTag,
      );
      if (changes.live) {
        mergeChange(dirty.live, changes.live);
        liveList.update(live.exchanges, changes.live);
      }
      if (changes.raw) mergeChange(dirty.raw, changes.raw);
    } catch (error) {
      // The state may have changed half-way, without a change set to say how.
      liveList.reset(live.exchanges);
      deps.onError?.(error);
    }
  }

  /** Applies the retention bounds when due; true when that changed the state. */
  function prune(force: boolean): boolean {
    const now = deps.now();
    if (!settings || (!force && now - lastPrune < PRUNE_EVERY_MS)) return false;
    lastPrune = now;
    const exchanges = liveList.values();
    const keep = retainedIds(exchanges, analyze(exchanges, { now, recordingEnds }), settings, now);
    const change = pruneState(live, keep, now);
    mergeChange(dirty.live, change);
    liveList.update(live.exchanges, change);
    if (raw) mergeChange(dirty.raw, pruneState(raw, keep, now));
    return !isEmptyChange(change);
  }

  /**
   * Writes the accumulated changes; on failure they stay dirty (and journaled) for the next try. Both
   * copies and the list of applied entries are taken at once, when the write starts: events applied while
   * it is under way stay dirty, and their entries in the journal, for the next write.
   */
  async function persist(): Promise<void> {
    const change = dirty.live;
    const rawChange = dirty.raw;
    if (isEmptyChange(change) && isEmptyChange(rawChange) && compacted.length === 0) return;
    dirty = { live: newChange(), raw: newChange() };
    const applied = [...compacted];
    const changed = !isEmptyChange(change);
    try {
      const writeLive = prepareRecords(local, LIVE_RECORDS, live, change, applied);
      const writeRaw = raw ? prepareRecords(session, RAW_RECORDS, raw, rawChange, applied) : undefined;
      await writeLive();
      await writeRaw?.();
      await journal.remove(applied);
      compacted.splice(0, applied.length);
      recovered('save');
    } catch (error) {
      dirty = { live: mergeChange(change, dirty.live), raw: mergeChange(rawChange, dirty.raw) };
      fail('save', 'Could not save recorded launches', error);
    }
    if (changed) deps.onChange?.(health, written(change));
  }

  function written(change: Change): WrittenChange {
    const upserted: Exchange[] = [];
    for (const id of change.upserted) {
      const ex = live.exchanges[id];
      if (ex) upserted.push(ex);
    }
    return { upserted, removed: [...change.removed] };
  }

  /**
   * Applies every journaled event to the in-memory state, and the retention bounds when due (no storage:
   * see compact()). Runs in `queue`.
   */
  async function applyAll(forcePrune: boolean): Promise<void> {
    await whenReady();
    let changed = false;
    if (pending.size) {
      const batch = [...pending.values()].sort(byKey);
      pending.clear();
      for (const entry of batch) apply(entry);
      for (const entry of batch) compacted.push(entry.key);
      changed = true;
    }
    if (prune(forcePrune)) changed = true;
    if (changed) deps.onApplied?.();
  }

  /**
   * Applies every journaled event; resolves when the state holds them, before they are written (the
   * compaction, due within COMPACT_MS, writes them).
   */
  function catchUp(): Promise<void> {
    return queue.run(async () => {
      await applyAll(false);
      if (compacted.length || !isEmptyChange(dirty.live) || !isEmptyChange(dirty.raw)) schedule();
    });
  }

  /** Applies every journaled event and writes what changed; resolves when it is on disk. */
  function compact(forcePrune = false): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    return queue.run(() => applyAll(forcePrune)).then(() => writes.run(persist));
  }

  function exchangesForAnalysis(): Exchange[] {
    const out = liveList.values();
    return raw ? out.map((ex) => raw!.exchanges[ex.id] ?? ex) : out;
  }

  /**
   * An imported file's launches, analyzed once: a file never changes, and it is analyzed without a clock
   * or watched origins (a recording, not live traffic: utils/launch/status.ts), so nothing else can
   * change its result. Before, every read of the list analyzed every imported file again.
   */
  const importedCache = new WeakMap<ImportedFile, Launch[]>();
  function importedLaunches(file: ImportedFile): Launch[] {
    let out = importedCache.get(file);
    if (!out) {
      out = analyze(file.exchanges).map((launch) => ({
        ...launch,
        imported: { fileName: file.fileName, importedAt: file.importedAt },
      }));
      importedCache.set(file, out);
    }
    return out;
  }

  async function list(): Promise<Launch[]> {
    await catchUp();
    const now = deps.now();
    // Shared: the launches a change did not touch come back as the same objects, which the callers
    // (analyzed-cache.ts, summaries, search, badges) only read.
    const launches = analyze(exchangesForAnalysis(), {
      now,
      watchedOrigins: deps.watchedOrigins(),
      abandonAfterMs: abandonAfterMs(settings),
      recordingEnds,
      shared: true,
    });
    for (const file of imports) launches.push(...importedLaunches(file));
    return launches.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Removes every record of one copy (per key: there is no single state key to overwrite). */
  async function removeCopy(area: RecordArea, keys: typeof LIVE_RECORDS): Promise<void> {
    const stale = recordKeysIn(await area.get(null), keys);
    if (stale.length) await area.remove(stale);
  }

  return {
    get ready(): Promise<void> {
      return whenReady();
    },
    /** Feed one browser event: journaled before this returns, compacted shortly after. Never throws. */
    ingest: journalEvent,
    /** Applies every journaled event and writes the records; resolves when they are on disk. */
    flush: () => compact(),
    /** Applies every journaled event, so that list() and get() hold them (their records are written later). */
    catchUp,
    list,
    async get(id: string): Promise<Launch | null> {
      return (await list()).find((l) => l.id === id) ?? null;
    },
    // Answers even when the stored launches cannot be read (that is what the pages must show then),
    // after the load under way, without starting another.
    health: async (): Promise<RecorderHealth> => {
      await loading.catch(() => undefined);
      return health;
    },
    async clear(): Promise<{ removed: number }> {
      const removed = (await list()).length;
      await queue.run(async () => {
        live = emptyState();
        liveList.reset(live.exchanges);
        raw = settings?.keepSecrets ? emptyState() : undefined;
        imports = [];
        recordingEnds = [];
        dirty = { live: newChange(), raw: newChange() };
        // After the writes already under way, which would otherwise leave records behind.
        await writes.run(async () => {
          await removeCopy(local, LIVE_RECORDS);
          await removeCopy(session, RAW_RECORDS);
          await importsItem.setValue([]);
          await local.remove([RECORDING_ENDS_KEY]);
          await persist();
        });
      });
      deps.onApplied?.();
      deps.onChange?.(health);
      return { removed };
    },
    /**
     * Keeps an imported file, in place of an earlier import of the same file (same name and digest: a
     * retry after a lost answer, or the same file dropped twice); returns the oldest files dropped to
     * stay within MAX_IMPORTED_FILES, and whether it replaced an earlier import.
     */
    async addImport(file: ImportedFile): Promise<{ dropped: ImportedFile[]; replaced: boolean }> {
      await whenReady();
      let dropped: ImportedFile[] = [];
      let replaced = false;
      await queue.run(async () => {
        const same = (f: ImportedFile) =>
          file.digest !== undefined && f.digest === file.digest && f.fileName === file.fileName;
        replaced = imports.some(same);
        const all = [...imports.filter((f) => !same(f)), file];
        dropped = all.slice(0, Math.max(0, all.length - MAX_IMPORTED_FILES));
        imports = all.slice(-MAX_IMPORTED_FILES);
        await importsItem.setValue(imports);
      });
      deps.onChange?.(health);
      return { dropped, replaced };
    },
    async getSettings(): Promise<RecorderSettings> {
      await whenReady();
      return structuredClone(settings!);
    },
    async setSettings(next: RecorderSettings): Promise<RecorderSettings> {
      await whenReady();
      await queue.run(async () => {
        settings = structuredClone(next);
        if (next.keepSecrets && !raw) {
          raw = emptyState();
          loaded.raw = none();
        }
        if (!next.keepSecrets && raw) {
          raw = undefined;
          dirty.raw = newChange();
          await writes.run(() => removeCopy(session, RAW_RECORDS));
        }
        await settingsItem.setValue(next);
      });
      await compact(true);
      return structuredClone(settings!);
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
