import { storage } from 'wxt/utils/storage';
import {
  DEFAULT_SETTINGS,
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
  /** A digest of the file's text: the same file imported again replaces its earlier import. */
  digest?: string;
}

/** Imported files kept at most; the oldest import is dropped first. */
export const MAX_IMPORTED_FILES = 20;

export const settingsItem = storage.defineItem<RecorderSettings>('local:recorder.settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export const importsItem = storage.defineItem<ImportedFile[]>('local:recorder.imports', {
  fallback: [],
  version: 1,
});

/** Per-install random key of the code fingerprints (utils/capture/secret-facts.ts), made on first use. */
export const secretKeyItem = storage.defineItem<string>(SECRET_KEY_STORAGE, { init: newSecretKey });

/**
 * Before records were stored one per key, the whole capture state lived under these keys (plus WXT's
 * `$` metadata key). Read once on start, written out per record, then removed.
 */
export const LEGACY_STATE_KEYS = { live: 'recorder.state', raw: 'recorder.raw-state' } as const;
