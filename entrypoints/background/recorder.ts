import {
  applyEvent,
  type CaptureEvent,
  type CaptureState,
  emptyState,
  pruneState,
  type RecorderSettings,
  redactEvent,
  retainedIds,
  secretKeyBytes,
  withSecretFacts,
} from '../../utils/capture';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import {
  createWriteQueue,
  type ImportedFile,
  importsItem,
  MAX_IMPORTED_FILES,
  rawStateItem,
  secretKeyItem,
  settingsItem,
  stateItem,
} from './store';

/** Changes are written at most this often (batched); a stopped worker loses at most this window. */
export const FLUSH_MS = 200;
/** Retention bounds are applied at most this often (they need a full analysis). */
const PRUNE_EVERY_MS = 60_000;

export interface RecorderDeps {
  now: () => number;
  hasHostPermission: (url: string) => boolean;
  /** Host permission patterns held right now (for findings about invisible steps). */
  watchedOrigins: () => readonly string[];
  onError?: (error: unknown) => void;
  /** Awaited before the first event is applied (e.g. reading the current host permissions). */
  beforeReady?: Promise<unknown>;
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The launch recorder: events in (from listeners registered at worker start), exchanges persisted as
 * they change, launches out (analyzed on read). All state lives in storage; the in-memory copy is a
 * cache that a restarted worker rebuilds before applying the events that woke it.
 */
export function createRecorder(deps: RecorderDeps) {
  let live: CaptureState | undefined;
  let raw: CaptureState | undefined;
  let settings: RecorderSettings | undefined;
  let imports: ImportedFile[] = [];
  let secretKey: Uint8Array | undefined;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPrune = 0;
  const backlog: CaptureEvent[] = [];
  const queue = createWriteQueue((e) => deps.onError?.(e));

  const ready = (async () => {
    const [, s, l, r, i, k] = await Promise.all([
      deps.beforeReady?.catch((e) => deps.onError?.(e)),
      settingsItem.getValue(),
      stateItem.getValue(),
      rawStateItem.getValue(),
      importsItem.getValue(),
      secretKeyItem.getValue(),
    ]);
    secretKey = secretKeyBytes(k);
    settings = clone(s);
    live = clone(l);
    raw = s.keepSecrets ? clone(r) : undefined;
    imports = clone(i);
    for (const event of backlog.splice(0)) apply(event);
    if (dirty) schedule();
  })();

  function ctx(redact: boolean) {
    return { redact, hasHostPermission: deps.hasHostPermission };
  }

  function apply(event: CaptureEvent): void {
    try {
      const seen = withSecretFacts(event, secretKey);
      applyEvent(live!, redactEvent(seen), ctx(true));
      if (raw) applyEvent(raw, seen, ctx(false));
      dirty = true;
    } catch (error) {
      deps.onError?.(error);
    }
  }

  function schedule(): void {
    timer ??= setTimeout(() => void flush(), FLUSH_MS);
  }

  function prune(force = false): void {
    const now = deps.now();
    if (!live || !settings || (!force && now - lastPrune < PRUNE_EVERY_MS)) return;
    lastPrune = now;
    const exchanges = Object.values(live.exchanges);
    const keep = retainedIds(exchanges, analyze(exchanges, { now }), settings, now);
    if (pruneState(live, keep, now).length) dirty = true;
    if (raw) pruneState(raw, keep, now);
  }

  /** Write what changed; resolves when it is on disk. */
  function flush(forcePrune = false): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    return queue.enqueue(async () => {
      await ready;
      prune(forcePrune);
      if (!dirty) return;
      dirty = false;
      const writes: Promise<void>[] = [stateItem.setValue(clone(live!))];
      if (raw) writes.push(rawStateItem.setValue(clone(raw)));
      await Promise.all(writes);
    });
  }

  function exchangesForAnalysis(): Exchange[] {
    const out = Object.values(live!.exchanges);
    if (!raw) return out;
    return out.map((ex) => raw!.exchanges[ex.id] ?? ex);
  }

  async function list(): Promise<Launch[]> {
    await ready;
    const now = deps.now();
    const launches = analyze(exchangesForAnalysis(), { now, watchedOrigins: deps.watchedOrigins() });
    for (const file of imports) {
      for (const launch of analyze(file.exchanges)) {
        launches.push({ ...launch, imported: { fileName: file.fileName, importedAt: file.importedAt } });
      }
    }
    return launches.sort((a, b) => b.startedAt - a.startedAt);
  }

  return {
    ready,
    /** Feed one browser event; never throws. */
    ingest(event: CaptureEvent): void {
      if (!live) {
        backlog.push(event);
        return;
      }
      apply(event);
      schedule();
    },
    flush,
    list,
    async get(id: string): Promise<Launch | null> {
      return (await list()).find((l) => l.id === id) ?? null;
    },
    async clear(): Promise<{ removed: number }> {
      const removed = (await list()).length;
      live = emptyState();
      raw = settings?.keepSecrets ? emptyState() : undefined;
      imports = [];
      dirty = true;
      await queue.enqueue(() => importsItem.setValue([]));
      await flush();
      return { removed };
    },
    async addImport(file: ImportedFile): Promise<void> {
      await ready;
      imports = [...imports, file].slice(-MAX_IMPORTED_FILES);
      const snapshot = clone(imports);
      await queue.enqueue(() => importsItem.setValue(snapshot));
    },
    async getSettings(): Promise<RecorderSettings> {
      await ready;
      return clone(settings!);
    },
    async setSettings(next: RecorderSettings): Promise<RecorderSettings> {
      await ready;
      settings = clone(next);
      if (next.keepSecrets && !raw) raw = emptyState();
      if (!next.keepSecrets) raw = undefined;
      const saved = clone(next);
      await queue.enqueue(async () => {
        await settingsItem.setValue(saved);
        if (!saved.keepSecrets) await rawStateItem.removeValue();
      });
      await flush(true);
      return clone(settings);
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
