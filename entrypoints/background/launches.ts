import type { Runtime } from 'webextension-polyfill';
import { permitted } from '../../utils/diagnose/permissions';
import { errorMessage } from '../../utils/errors';
import { HarImportError, importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import { searchLaunches } from '../../utils/launch/search';
import type { Handlers } from '../../utils/messages/dispatch';
import type { LaunchesChanged, launchMessages, SummaryChanges } from '../../utils/messages/launches';
import type { Launch } from '../../utils/model';
import { createSerialQueue } from '../../utils/serial-queue';
import { originOf } from '../../utils/url/split';
import { createAnalyzedCache, summaryOf } from './analyzed-cache';
import { showLaunchOutcome } from './badge';
import { registerCaptureListeners } from './listeners';
import { createChangeNotifier } from './notify';
import { createOutcomeBadges, mayChangeOutcome } from './outcome-badges';
import { createRecorder, type Recorder } from './recorder';
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

/**
 * While some page follows the summaries, the version the previous notice's changes went up to (or the
 * version of the read that started following); undefined while none does. Set by a page's read of the
 * summaries, cleared when a notice found no page to hear it. While set, each notice carries the changes
 * since that version, which every following page holds or has passed (a page then needs no read of its
 * own, which saves it a round trip per change); without a page, notices cost no analysis.
 */
let pushedVersion: number | undefined;
/** Notices go out in order, each after the analysis for its changes. */
const notices = createSerialQueue();

function sendNotice(notice: LaunchesChanged): Promise<unknown> {
  return notices.run(async () => {
    let message = notice;
    const from = pushedVersion;
    if (from !== undefined) {
      try {
        const changes = await summaryChanges(thisRun, from);
        pushedVersion = changes.version;
        message = { ...notice, changes: { ...changes, from } };
      } catch (error) {
        // The notice goes out without changes: the pages read, and show the failure.
        console.error('[smart-launch-debugger] notice', error);
      }
    }
    try {
      return await browser.runtime.sendMessage(message);
    } catch (error) {
      // No page listens: none follows any more.
      if (/receiving end does not exist/i.test(errorMessage(error))) pushedVersion = undefined;
      throw error;
    }
  });
}

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
  const notify = createChangeNotifier(sendNotice);
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
      // A page follows from this version on (one that follows already holds a version at least as far).
      pushedVersion ??= changes.version;
      return changes;
    },
    'launches/search': async ({ query }) => searchLaunches(await launches(), query),
    'launches/get': ({ id }) => findLaunch(id),
    'launches/clear': () => getRecorder().clear(),
    'launches/import-har': async ({ fileName, text }) => {
      const importedAt = Date.now();
      const exchanges = importHar(text, fileName, `${importedAt.toString(36)}`);
      const count = analyze(exchanges).length;
      if (count === 0) {
        throw new HarImportError(
          `${fileName} holds no SMART launch (no launch, authorize, token or FHIR requests).`,
        );
      }
      await getRecorder().addImport({ fileName, importedAt, exchanges });
      return { imported: count };
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

/** Registers every capture listener synchronously (a restarted worker must get the event that woke it). */
export function startRecorder(): void {
  const rec = getRecorder();
  registerCaptureListeners((event) => rec.ingest(event));
  // Listeners need no re-registration when a permission is granted; only the cached list changes.
  browser.permissions.onAdded.addListener(() => void refreshOrigins());
  browser.permissions.onRemoved.addListener(() => void refreshOrigins());
}
