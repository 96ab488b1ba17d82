import type { CaptureEvent } from '../../utils/capture';
import type { RecordArea } from './records';

/**
 * One captured event as made durable: redacted, plus the untouched event only when secrets are kept.
 * Stored with the events as JSON text (see append); read back they are text until reduced
 * (capture-entry.ts decodes either form).
 */
export interface JournalEntry {
  /** Sortable: worker start time, instance, sequence. Later events have larger keys. */
  key: string;
  event: CaptureEvent | string;
  raw?: CaptureEvent | string;
}

export const JOURNAL_PREFIX = 'rec.j.';

const pad = (n: number, width: number) => n.toString(36).padStart(width, '0');

/**
 * The durable event log: every event is written to storage.session as it arrives (the write is issued
 * before the listener returns), so a worker stopped a moment later loses nothing. Entries are removed
 * once compacted into records; a restarted worker replays what is left.
 */
export function createJournal(area: RecordArea, now: () => number, onError: (error: unknown) => void) {
  // One prefix per worker instance: a restarted worker's keys sort after its predecessor's.
  const instance = `${JOURNAL_PREFIX}${pad(now(), 9)}.${pad(Math.floor(Math.random() * 36 ** 4), 4)}.`;
  let seq = 0;
  return {
    append(event: CaptureEvent, raw?: CaptureEvent): JournalEntry {
      const key = instance + pad(seq++, 8);
      // The events go in as JSON text: the storage call converts one string in a fraction of the time it
      // takes to walk an event's fields, and this runs inside every listener (docs/benchmarks.md).
      const stored = { key, event: JSON.stringify(event), ...(raw ? { raw: JSON.stringify(raw) } : {}) };
      area.set({ [key]: stored }).catch(onError);
      return { key, event, ...(raw ? { raw } : {}) };
    },
    remove(keys: string[]): Promise<void> {
      return keys.length ? area.remove(keys) : Promise.resolve();
    },
  };
}

/** The entries left in the journal (from a stopped worker), oldest first. */
export function readJournal(all: Record<string, unknown>): JournalEntry[] {
  return Object.entries(all)
    .filter(([key]) => key.startsWith(JOURNAL_PREFIX))
    .map(([, value]) => structuredClone(value) as JournalEntry)
    .sort(byKey);
}

export function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
