import { LAUNCHES_CHANGED, type LaunchesChanged, type RecorderHealth } from '../../utils/messages/launches';

/** Pages are told at most this often while a launch streams in (the list must update within 300 ms). */
export const NOTIFY_MS = 150;

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
