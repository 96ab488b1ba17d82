import { z } from 'zod';
import { defineMessage } from './define';

/** Where a relaunch went, or why there was none (the UI shows `note` / `reason` as they are). */
export type RelaunchResult =
  | { ok: true; tabId: number; sameTab: boolean; url: string; note: string }
  | { ok: false; reason: string };

/** Tab actions the fixes need. */
export const tabMessages = {
  /**
   * Starts a recorded launch again (utils/launch/relaunch.ts decides from where) in the tab it ran in
   * when that tab is still open, else in a new tab.
   */
  'tabs/relaunch': defineMessage<RelaunchResult>()(
    z.object({ launchId: z.string().min(1).max(2048) }).strict(),
  ),
};
