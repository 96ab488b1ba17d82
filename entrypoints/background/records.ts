import { type CaptureState, type Change, emptyState } from '../../utils/capture';
import type { Exchange } from '../../utils/model';

/** The subset of a storage area the record store uses (browser.storage.local / .session, or a fake). */
export interface RecordArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** Where one copy of the capture state lives: one key per exchange and per tracked request. */
export interface RecordKeys {
  exchange: string;
  track: string;
  /** openers + navStarts: small, TTL-bounded bookkeeping. */
  meta: string;
  /**
   * The journal keys whose events this copy holds while they may still be in the journal (written in the
   * same set as the records, so a restarted worker replays exactly the others).
   */
  applied: string;
}

/** The redacted copy, in storage.local (kept across browser restarts, unlimitedStorage). */
export const LIVE_RECORDS: RecordKeys = {
  exchange: 'rec.x.',
  track: 'rec.t.',
  meta: 'rec.m',
  applied: 'rec.applied',
};
/** The opt-in unredacted copy, in storage.session (memory only, gone when the browser closes). */
export const RAW_RECORDS: RecordKeys = {
  exchange: 'raw.x.',
  track: 'raw.t.',
  meta: 'raw.m',
  applied: 'raw.applied',
};

/** Which journal entries a copy already holds. */
export interface Applied {
  keys: Set<string>;
  /** Written by earlier versions: every key up to and including this one (empty: none). */
  upTo: string;
}

export function isApplied(applied: Applied, key: string): boolean {
  return applied.keys.has(key) || (applied.upTo !== '' && key <= applied.upTo);
}

export interface LoadedRecords {
  state: CaptureState;
  applied: Applied;
}

/**
 * One record's value: JSON text as written now, or an object as written by earlier versions (cloned: the
 * area may hand out shared objects). Undefined for text that does not parse (a damaged record is skipped,
 * not allowed to stop the worker from loading the others).
 */
function recordValue(value: unknown): unknown {
  if (typeof value !== 'string') return value === undefined ? undefined : structuredClone(value);
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Rebuilds one copy of the state from its records. */
export function readRecords(all: Record<string, unknown>, keys: RecordKeys): LoadedRecords {
  const state = emptyState();
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(keys.exchange)) {
      const ex = recordValue(value) as Exchange | undefined;
      if (ex && typeof ex === 'object' && typeof ex.id === 'string') state.exchanges[ex.id] = ex;
    } else if (key.startsWith(keys.track)) {
      const track = recordValue(value) as CaptureState['requests'][string] | undefined;
      if (track && typeof track === 'object') state.requests[key.slice(keys.track.length)] = track;
    }
  }
  const meta = recordValue(all[keys.meta]) as Pick<CaptureState, 'openers' | 'navStarts'> | undefined;
  if (meta && typeof meta === 'object') Object.assign(state, meta);
  const stored = all[keys.applied];
  const applied: Applied = {
    keys: new Set(Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : []),
    upTo: typeof stored === 'string' ? stored : '',
  };
  return { state, applied };
}

/**
 * The keys to set and remove so storage reflects `change` on `state`, and nothing else. Values are written
 * as JSON text, as journal entries are (journal.ts): the storage call then converts one string instead of
 * walking every field of an exchange. The page-load benchmark showed no difference within its noise
 * (docs/benchmarks.md); exchanges with headers and bodies are larger than its FHIR reads.
 */
export function recordWrites(state: CaptureState, change: Change, keys: RecordKeys) {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const id of change.removed) remove.push(keys.exchange + id);
  for (const id of change.upserted) {
    const ex = state.exchanges[id];
    if (ex) set[keys.exchange + id] = JSON.stringify(ex);
    else remove.push(keys.exchange + id);
  }
  for (const requestId of change.tracks) {
    const track = state.requests[requestId];
    if (track) set[keys.track + requestId] = JSON.stringify(track);
    else remove.push(keys.track + requestId);
  }
  if (change.bookkeeping)
    set[keys.meta] = JSON.stringify({ openers: state.openers, navStarts: state.navStarts });
  return { set, remove };
}

/**
 * Writes one change. Removals go first, then the upserts together with the keys of the journal entries
 * applied (and not yet removed from the journal) in one `set` (atomic): a worker stopped in between
 * replays the other entries onto records that are only missing what was deleted anyway. A list of keys,
 * not a watermark: an entry a stopped worker wrote late may sort below entries already applied.
 */
export function writeRecords(
  area: RecordArea,
  keys: RecordKeys,
  state: CaptureState,
  change: Change,
  applied?: readonly string[],
): Promise<void> {
  return prepareRecords(area, keys, state, change, applied)();
}

/**
 * writeRecords() in two steps: the records are taken from `state` now, and written when the returned
 * function is called. The recorder takes both copies at once, so events applied while the writes are
 * under way are in neither copy nor in `applied`.
 */
export function prepareRecords(
  area: RecordArea,
  keys: RecordKeys,
  state: CaptureState,
  change: Change,
  applied?: readonly string[],
): () => Promise<void> {
  const { set, remove } = recordWrites(state, change, keys);
  if (applied) set[keys.applied] = [...applied];
  return async () => {
    if (remove.length) await area.remove(remove);
    if (Object.keys(set).length) await area.set(set);
  };
}

/** Every key of one copy (for clearing it outright). */
export function recordKeysIn(all: Record<string, unknown>, keys: RecordKeys): string[] {
  return Object.keys(all).filter(
    (k) => k.startsWith(keys.exchange) || k.startsWith(keys.track) || k === keys.meta || k === keys.applied,
  );
}
