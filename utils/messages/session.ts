import { z } from 'zod';
import type { ClearPlan, ClearReport } from '../session/types';
import { defineMessage } from './define';

export type { ClearPlan, ClearReport, CookieInfo } from '../session/types';

const origin = z.string().min(1).max(2048);

/** Messages of the clear-session feature. Cookie values never cross this boundary. */
export const sessionMessages = {
  /** What a clear would remove, for the confirmation list. */
  'session/plan': defineMessage<ClearPlan>()(z.object({ origin }).strict()),
  /** Clears the origin's own cookies and storage, plus the parent-domain cookies whose ids were ticked. */
  'session/clear': defineMessage<ClearReport>()(
    z.object({ origin, parentDomainCookies: z.array(z.string().max(4096)).max(500).default([]) }).strict(),
  ),
};
