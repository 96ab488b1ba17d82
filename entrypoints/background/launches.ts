import type { Runtime } from 'webextension-polyfill';
import { shortHash } from '../../utils/capture/state';
import { permitted } from '../../utils/diagnose/permissions';
import { noSmartLaunch, readHar, skippedNote } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import { searchLaunches } from '../../utils/launch/search';
import type { Handlers } from '../../utils/messages/dispatch';
import type { launchMessages, SummaryChanges } from '../../utils/messages/launches';
import type { Launch } from '../../utils/model';
import { originOf } from '../../utils/url/split';
import { createAnalyzedCache, summaryOf } from './analyzed-cache';
import { showLaunchOutcome } from './badge';
import { registerCaptureListeners } from './listeners';
import { createChangeNotifier, createNoticeSender } from './notify';
import { createOutcomeBadges, mayChangeOutcome } from './outcome-badges';
import { createRecorder, type Recorder } from './recorder';
import { MAX_IMPORTED_FILES } from './store';
import { createSummaryIndex } from './summary-index';

let recorder: Recorder | undefined;
/** Host permission patterns held now; refreshed on every permission change. */
let origins: string[] = [];
const analyzed = createAnalyzedCache(
  () => getRecorder().list(),
  () => Date.now(),
);

/** A random name for this run of the worker: versions of an earlier run are not ours. */
const thisRun = crypto.randomUUID();
const summaryIndex = createSummaryIndex(thisRun);
/** The analysis the index last took: reads between two changes share it and need no update. */
let indexed: readonly Launch[] | undefined;

/** What changed in the summaries since `since` of `sinceEpoch` (all of them without one). */
async function summaryChanges(sinceEpoch?: string, since?: number): Promise<SummaryChanges> {
  const all = await launches();
  if (all !== indexed) {
    indexed = all;
    summaryIndex.update(all.map(summaryOf));
  }
  return summaryIndex.changes(sinceEpoch, since);
}

/** Notices to the pages, with the summary changes while some page follows them. */
const notices = createNoticeSender({
  changesSince: (from) => summaryChanges(thisRun, from),
  send: (notice) => browser.runtime.sendMessage(notice),
  onError: (error) => console.error('[smart-launch-debugger] notice', error),
});

/**
 * The analyzed launches, with every event journaled so far applied (applying invalidates the analysis).
 * Reads do not wait for the records to be written: the events are durable in the journal already.
 */
async function launches(): Promise<Launch[]> {
  await getRecorder().catchUp();
  return analyzed.read();
}

function refreshOrigins(): Promise<void> {
  return Promise.resolve()
    .then(() => browser.permissions.getAll())
    .then((p) => {
      origins = p.origins ?? [];
      analyzed.invalidate();
    });
}

function getRecorder(): Recorder {
  if (recorder) return recorder;
  const notify = createChangeNotifier(notices.send);
  const badges = createOutcomeBadges(
    () => launches(),
    (tabId, outcome) =>
      // A tab closed since its launch has no badge to set.
      showLaunchOutcome(tabId, outcome).catch(() => undefined),
    (error) => console.error('[smart-launch-debugger] badge', error),
  );
  recorder = createRecorder({
    now: () => Date.now(),
    hasHostPermission: (url) => permitted(origins, originOf(url)),
    watchedOrigins: () => origins,
    onError: (error) => console.error('[smart-launch-debugger] recorder', error),
    onChange: (health, written) => {
      // Before the notice goes out: a page reading on the notice must get the new analysis.
      analyzed.invalidate();
      notify(health);
      // The marks need a whole analysis: not for a batch of FHIR reads going through.
      if (!written || mayChangeOutcome(written)) badges.schedule();
    },
    // A page reading on this notice applies the event first: the list follows the event, not the batch.
    onEvent: () => notify(),
    onApplied: () => analyzed.invalidate(),
    beforeReady: refreshOrigins(),
  });
  return recorder;
}

/** One recorded launch in full (for actions on it, such as a relaunch). */
export function findLaunch(id: string): Promise<Launch | null> {
  return launches().then((all) => all.find((l) => l.id === id) ?? null);
}

export function createLaunchHandlers(): Handlers<typeof launchMessages, Runtime.MessageSender> {
  return {
    'launches/list': () => launches(),
    'launches/summaries': async () => (await launches()).map(summaryOf),
    'launches/changes': async ({ epoch, since }) => {
      const changes = await summaryChanges(epoch, since);
      notices.followed(changes.version);
      return changes;
    },
    'launches/search': async ({ query }) => searchLaunches(await launches(), query),
    'launches/get': ({ id }) => findLaunch(id),
    'launches/clear': () => getRecorder().clear(),
    'launches/import-har': async ({ fileName, text }) => {
      const importedAt = Date.now();
      const read = readHar(text, fileName, `${importedAt.toString(36)}`);
      const exchanges = read.exchanges;
      const count = analyze(exchanges).length;
      if (count === 0) throw noSmartLaunch(fileName);
      const { dropped, replaced } = await getRecorder().addImport({
        fileName,
        importedAt,
        exchanges,
        digest: textDigest(text),
      });
      const skipped = skippedNote(read);
      return {
        imported: count,
        ...(replaced ? { replaced: true } : {}),
        ...(skipped ? { skipped } : {}),
        ...(dropped.length ? { dropped: dropped.map((f) => f.fileName), keptFiles: MAX_IMPORTED_FILES } : {}),
      };
    },
    'recorder/health': () => getRecorder().health(),
    'recorder/settings/get': () => getRecorder().getSettings(),
    'recorder/settings/set': async (settings) => {
      const saved = await getRecorder().setSettings(settings);
      // The abandon delay and the secrets kept change what analysis answers.
      analyzed.invalidate();
      return saved;
    },
    'devtools/response': ({ startedDateTime, ...body }) => {
      const startedAt = Date.parse(startedDateTime);
      getRecorder().ingest({
        kind: 'body',
        ...body,
        startedAt: Number.isFinite(startedAt) ? startedAt : Date.now(),
      });
      return { accepted: true };
    },
  };
}

/** The text's length and hash: the same file imported again is known by it. */
export function textDigest(text: string): string {
  return `${text.length.toString(36)}.${shortHash(text)}`;
}

/** Registers every capture listener synchronously (a restarted worker must get the event that woke it). */
export function startRecorder(): void {
  const rec = getRecorder();
  registerCaptureListeners((event) => rec.ingest(event));
  // Listeners need no re-registration when a permission is granted; only the cached list changes.
  browser.permissions.onAdded.addListener(() => void refreshOrigins());
  browser.permissions.onRemoved.addListener(() => void refreshOrigins());
}
