import { errorMessage } from '../../utils/errors';
import {
  LAUNCHES_CHANGED,
  type LaunchesChanged,
  type RecorderHealth,
  type SummaryChanges,
} from '../../utils/messages/launches';
import { createSerialQueue } from '../../utils/serial-queue';

/**
 * Pages are told at most this often while a launch streams in (the list must update within 300 ms). With
 * the changes carried by the notices, 100 ms gave a 95th percentile of about 200 ms in a 100-launch soak
 * (about 300 ms with 200 launches); 60 ms was no sooner for a fifth more CPU, 150 ms about 100 ms later.
 * With the analysis for a notice made incremental, 50 ms was later still, for a fifth more CPU: the pages
 * render twice as often (docs/benchmarks.md).
 */
export const NOTIFY_MS = 100;

/**
 * Tells the extension's open pages that launches or the recorder's health changed, at most once per
 * NOTIFY_MS (the last health wins), so a busy launch does not make every page re-read on every batch.
 * The first change after a quiet NOTIFY_MS goes out at once (after the events of the same task, which it
 * covers too); later ones wait for the rest of the window, so an event is never told more than NOTIFY_MS
 * late.
 */
export function createChangeNotifier(
  send: (notice: LaunchesChanged) => Promise<unknown>,
  now: () => number = () => performance.now(),
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = Number.NEGATIVE_INFINITY;
  let latest: RecorderHealth = {};
  /** `health`: the recorder's new health; without it, the last one told is sent again. */
  return (health?: RecorderHealth): void => {
    if (health) latest = health;
    if (timer !== undefined) return;
    const wait = Math.max(0, lastSent + NOTIFY_MS - now());
    timer = setTimeout(() => {
      timer = undefined;
      lastSent = now();
      // Rejects when no page is open to hear it; that is the common case, not an error.
      send({ type: LAUNCHES_CHANGED, health: latest }).catch(() => undefined);
    }, wait);
  };
}

/**
 * Sends the notices, with the summary changes while some page follows them. A page follows from its
 * read of the summaries (`followed`) until a notice finds no page to hear it. While some page follows,
 * each notice carries the changes since the version the previous one went up to (or since that read),
 * which every following page holds or has passed: a page then applies them without a read of its own,
 * which saves it a round trip per change. Without a page, notices cost no analysis.
 *
 * Notices go out in order, each after the analysis for its changes, without waiting for the pages to take
 * the one before (a page busy rendering holds up no later notice). A notice that has to wait for the one
 * before it takes the place of any other waiting (its health is newer, and the changes are taken when it
 * goes), so a slow analysis never piles notices up.
 */
export function createNoticeSender(deps: {
  /** The summary changes after version `from` of this worker run (analyzing first when needed). */
  changesSince(from: number): Promise<SummaryChanges>;
  send(notice: LaunchesChanged): Promise<unknown>;
  onError(error: unknown): void;
}) {
  /** The version the previous notice's changes went up to; undefined while no page follows. */
  let pushedVersion: number | undefined;
  const queue = createSerialQueue();
  let waiting: LaunchesChanged | undefined;
  return {
    /** A page read the summaries at `version`: it follows them from then on. */
    followed(version: number): void {
      // A page that follows already holds a version at least as far as the mark.
      pushedVersion ??= version;
    },
    send(notice: LaunchesChanged): Promise<unknown> {
      const queued = waiting !== undefined;
      waiting = notice;
      if (queued) return Promise.resolve();
      const issued = queue.run(async () => {
        const latest = waiting ?? notice;
        waiting = undefined;
        let message = latest;
        const from = pushedVersion;
        if (from !== undefined) {
          try {
            const changes = await deps.changesSince(from);
            pushedVersion = changes.version;
            message = { ...latest, changes: { ...changes, from } };
          } catch (error) {
            // The notice goes out without changes: the pages read, and show the failure.
            deps.onError(error);
          }
        }
        const delivery = deps.send(message);
        delivery.catch((error: unknown) => {
          // No page listens: none follows any more.
          if (/receiving end does not exist/i.test(errorMessage(error))) pushedVersion = undefined;
        });
        // Messages go out in the order they are sent: the next notice waits for this one to be sent,
        // not for a busy page to take it (wrapped, so the queue does not wait for the delivery).
        return { delivery };
      });
      return issued.then(({ delivery }) => delivery);
    },
  };
}
