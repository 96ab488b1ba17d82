import { LAUNCHES_CHANGED, type LaunchesChanged, type RecorderHealth } from '../../utils/messages/launches';

/** Pages are told at most this often while a launch streams in (the list must update within 300 ms). */
export const NOTIFY_MS = 150;

/**
 * Tells the extension's open pages that launches or the recorder's health changed, at most once per
 * NOTIFY_MS (the last health wins), so a busy launch does not make every page re-read on every batch.
 */
export function createChangeNotifier(send: (notice: LaunchesChanged) => Promise<unknown>) {
  let scheduled = false;
  let latest: RecorderHealth = {};
  /** `health`: the recorder's new health; without it, the last one told is sent again. */
  return (health?: RecorderHealth): void => {
    if (health) latest = health;
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      // Rejects when no page is open to hear it; that is the common case, not an error.
      send({ type: LAUNCHES_CHANGED, health: latest }).catch(() => undefined);
    }, NOTIFY_MS);
  };
}
