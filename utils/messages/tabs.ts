import { z } from 'zod';
import { defineMessage } from './define';

/** Where a relaunch went: the tab it was opened in, and whether that was the launch's own tab. */
export interface RelaunchResult {
  tabId: number;
  sameTab: boolean;
}

/** Only web pages: a relaunch never opens extension, file or javascript URLs. */
const webUrl = z
  .string()
  .max(64 * 1024)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http(s) URL');

/** Tab actions the fixes need. */
export const tabMessages = {
  /** Opens `url` in the tab the launch ran in (when it still exists), else in a new tab. */
  'tabs/relaunch': defineMessage<RelaunchResult>()(
    z.object({ url: webUrl, tabId: z.number().int().min(0).optional() }).strict(),
  ),
};
