import { z } from 'zod';
import { type RecorderSettings, SETTINGS_LIMITS } from '../capture/bounds';
import { MAX_HAR_CHARS } from '../har/import';
import { MAX_SEARCH_QUERY } from '../launch/search';
import type { LaunchSummary } from '../launch/summary';
import type { Launch } from '../model';
import { defineMessage } from './define';

/** DevTools bodies larger than this are refused outright (the page already cuts them to MAX_BODY_BYTES). */
export const MAX_DEVTOOLS_MESSAGE_CHARS = 1024 * 1024;

const settings = z
  .object({
    maxLaunches: z.number().int().min(SETTINGS_LIMITS.maxLaunches[0]).max(SETTINGS_LIMITS.maxLaunches[1]),
    maxAgeDays: z.number().int().min(SETTINGS_LIMITS.maxAgeDays[0]).max(SETTINGS_LIMITS.maxAgeDays[1]),
    keepSecrets: z.boolean(),
    abandonAfterMinutes: z
      .number()
      .int()
      .min(SETTINGS_LIMITS.abandonAfterMinutes[0])
      .max(SETTINGS_LIMITS.abandonAfterMinutes[1])
      .optional(),
  })
  .strict();

/** What the pages show about the recorder itself: a storage write that failed, until one succeeds. */
export interface RecorderHealth {
  /**
   * `kind`: `save` when launches could not be written to storage.local, `journal` when events could not
   * be written to session storage as they arrived (they are still saved a moment later), `load` when the
   * stored launches could not be read (events are journaled meanwhile and added once they can be).
   */
  writeError?: { message: string; at: number; kind?: 'save' | 'journal' | 'load' };
}

/**
 * Sent by the background to its own pages (never answered) whenever stored launches or the recorder's
 * health changed: the pages re-read what they show instead of polling. While some page follows the
 * summaries (it has read `launches/changes`), the notice carries what changed in them since the previous
 * notice, so a page that holds that version or a later one applies it without a read of its own.
 */
export const LAUNCHES_CHANGED = 'launches/changed';
export interface LaunchesChanged {
  type: typeof LAUNCHES_CHANGED;
  health: RecorderHealth;
  changes?: PushedChanges;
}

/** Summary changes sent with a notice: everything that changed after version `from` (of `epoch`). */
export interface PushedChanges extends SummaryChanges {
  from: number;
}

/**
 * The summaries that changed since a version the page holds (entrypoints/background/summary-index.ts).
 * `full`: `upserted` is the whole list, in order, to replace everything. Otherwise the page keeps its
 * list, drops `removed`, replaces or adds `upserted`, and orders it by `order` when that is given (the
 * order of ids moved since); without `order` the ids and their order are the same as the page's.
 */
export interface SummaryChanges {
  /** Names this run of the worker: a version from another run means nothing here. */
  epoch: string;
  version: number;
  full: boolean;
  upserted: LaunchSummary[];
  removed: string[];
  order?: string[];
}

/** Messages of the launch recorder and log. */
export const launchMessages = {
  /** Every launch (live and imported), analyzed now, newest first. */
  'launches/list': defineMessage<Launch[]>()(z.object({}).strict()),
  /** What lists and the popup show (no bodies, no step details), newest first. */
  'launches/summaries': defineMessage<LaunchSummary[]>()(z.object({}).strict()),
  /** What changed in the summaries since `since` (of `epoch`); everything without one. Newest first. */
  'launches/changes': defineMessage<SummaryChanges>()(
    z
      .object({
        epoch: z.string().max(100).optional(),
        since: z.number().int().nonnegative().optional(),
      })
      .strict(),
  ),
  /** The ids of the launches whose decoded values (nested ones too) hold every word of `query`. */
  'launches/search': defineMessage<string[]>()(
    z.object({ query: z.string().max(MAX_SEARCH_QUERY) }).strict(),
  ),
  'launches/get': defineMessage<Launch | null>()(z.object({ id: z.string().min(1).max(1000) }).strict()),
  /** Forget all recorded and imported launches. */
  'launches/clear': defineMessage<{ removed: number }>()(z.object({}).strict()),
  /** Import a HAR saved from DevTools; a broken or foreign file is refused with a clear message. */
  'launches/import-har': defineMessage<{
    imported: number;
    /** It replaced an earlier import of the same file (same name and content). */
    replaced?: boolean;
    skipped?: string;
    /** Imported files removed, oldest first, to keep the last `keptFiles`. */
    dropped?: string[];
    keptFiles?: number;
  }>()(z.object({ fileName: z.string().max(500), text: z.string().max(MAX_HAR_CHARS) }).strict()),
  'recorder/health': defineMessage<RecorderHealth>()(z.object({}).strict()),
  'recorder/settings/get': defineMessage<RecorderSettings>()(z.object({}).strict()),
  'recorder/settings/set': defineMessage<RecorderSettings>()(settings),
  /** A response body seen by the DevTools page of `tabId`, merged into the matching exchange. */
  'devtools/response': defineMessage<{ accepted: boolean }>()(
    z
      .object({
        tabId: z.number().int(),
        url: z.string().max(100_000),
        method: z.string().min(1).max(20),
        status: z.number().int(),
        startedDateTime: z.string().max(100),
        mimeType: z.string().max(300).optional(),
        text: z.string().max(MAX_DEVTOOLS_MESSAGE_CHARS),
        /** True when the page cut the body to the capture bound. */
        truncated: z.literal(true).optional(),
        /** The request's urlencoded form (token requests), redacted unless the user keeps secrets. */
        form: z.record(z.string().max(200), z.array(z.string().max(20_000)).max(20)).optional(),
        /** The request body was JSON: `form` holds its top-level fields. */
        formFormat: z.literal('json').optional(),
        /** Facts of the form's code and verifier, computed by the page before redaction. */
        secretFacts: z
          .object({
            codeFingerprint: z.string().max(100).optional(),
            verifierChallenge: z.string().max(100).optional(),
            verifierBadCharacters: z.string().max(20).optional(),
            verifierPlusChallenge: z.string().max(100).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),
};
