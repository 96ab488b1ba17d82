import { storage } from 'wxt/utils/storage';
import {
  type CaptureState,
  DEFAULT_SETTINGS,
  emptyState,
  newSecretKey,
  type RecorderSettings,
  SECRET_KEY_STORAGE,
} from '../../utils/capture';
import type { Exchange } from '../../utils/model';

/** One imported HAR file: its SMART exchanges, analyzed on read like live ones. */
export interface ImportedFile {
  fileName: string;
  importedAt: number;
  exchanges: Exchange[];
}

/** Imported files kept at most; the oldest import is dropped first. */
export const MAX_IMPORTED_FILES = 20;

export const settingsItem = storage.defineItem<RecorderSettings>('local:recorder.settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** The redacted capture state: every exchange plus correlation bookkeeping, persisted as it changes. */
export const stateItem = storage.defineItem<CaptureState>('local:recorder.state', {
  fallback: emptyState(),
  version: 1,
});

export const importsItem = storage.defineItem<ImportedFile[]>('local:recorder.imports', {
  fallback: [],
  version: 1,
});

/** Opt-in unredacted copy: session storage only (memory, gone when the browser closes). */
export const rawStateItem = storage.defineItem<CaptureState>('session:recorder.raw-state', {
  fallback: emptyState(),
  version: 1,
});

/** Per-install random key of the code fingerprints (utils/capture/secret-facts.ts), made on first use. */
export const secretKeyItem = storage.defineItem<string>(SECRET_KEY_STORAGE, { init: newSecretKey });

/**
 * Runs storage writes one after another, so a later write never races an earlier one and nothing is
 * read-modify-written concurrently. A failed write is reported and does not block the queue.
 */
export function createWriteQueue(onError: (error: unknown) => void) {
  let tail: Promise<void> = Promise.resolve();
  return {
    enqueue(task: () => Promise<void>): Promise<void> {
      const run = tail.then(task).catch(onError);
      tail = run;
      return run;
    },
    idle: () => tail,
  };
}
