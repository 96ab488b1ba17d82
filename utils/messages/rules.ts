import { z } from 'zod';
import type { StripRuleState } from '../dnr/types';
import { defineMessage } from './define';

export type { StripRuleState } from '../dnr/types';

/** Rewrites counted in one tab since it opened. */
export interface RewriteStats {
  tabId: number;
  rewrites: number;
}

const host = z.string().min(1).max(253);

/** Messages of the strip-forceAuthn feature. Every answer is the state read back from getDynamicRules. */
export const ruleMessages = {
  'rules/get': defineMessage<StripRuleState>()(z.object({}).strict()),
  'rules/set': defineMessage<StripRuleState>()(
    z
      .object({
        enabled: z.boolean().optional(),
        stripNested: z.boolean().optional(),
        hosts: z.array(host).min(1).max(20).optional(),
      })
      .strict(),
  ),
  'rules/stats': defineMessage<RewriteStats>()(z.object({ tabId: z.number().int().min(0) }).strict()),
};
