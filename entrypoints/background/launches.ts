import type { Runtime } from 'webextension-polyfill';
import { permitted } from '../../utils/diagnose/permissions';
import { HarImportError, importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import { summarizeLaunch } from '../../utils/launch/summary';
import type { Handlers } from '../../utils/messages/dispatch';
import type { launchMessages } from '../../utils/messages/launches';
import type { Launch } from '../../utils/model';
import { originOf } from '../../utils/url/split';
import { showLaunchOutcome } from './badge';
import { registerCaptureListeners } from './listeners';
import { createChangeNotifier } from './notify';
import { createOutcomeBadges } from './outcome-badges';
import { createRecorder, type Recorder } from './recorder';

let recorder: Recorder | undefined;
/** Host permission patterns held now; refreshed on every permission change. */
let origins: string[] = [];

function refreshOrigins(): Promise<void> {
  return Promise.resolve()
    .then(() => browser.permissions.getAll())
    .then((p) => {
      origins = p.origins ?? [];
    });
}

function getRecorder(): Recorder {
  if (recorder) return recorder;
  const notify = createChangeNotifier((notice) => browser.runtime.sendMessage(notice));
  const badges = createOutcomeBadges(
    () => getRecorder().list(),
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
    onChange: (health) => {
      notify(health);
      badges.schedule();
    },
    beforeReady: refreshOrigins(),
  });
  return recorder;
}

/** One recorded launch in full (for actions on it, such as a relaunch). */
export function findLaunch(id: string): Promise<Launch | null> {
  return getRecorder().get(id);
}

export function createLaunchHandlers(): Handlers<typeof launchMessages, Runtime.MessageSender> {
  return {
    'launches/list': () => getRecorder().list(),
    'launches/summaries': async () => (await getRecorder().list()).map(summarizeLaunch),
    'launches/get': ({ id }) => getRecorder().get(id),
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
    'recorder/settings/set': (settings) => getRecorder().setSettings(settings),
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
