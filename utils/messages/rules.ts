import { z } from 'zod';
import { defineMessage } from './define';

/** State of the strip-forceAuthn rule as read back from declarativeNetRequest (never a cached flag). */
export interface RuleState {
  enabled: boolean;
}

/** Messages of the strip-forceAuthn feature. */
export const ruleMessages = {
  'rules/get': defineMessage<RuleState>()(z.object({}).strict()),
  'rules/set': defineMessage<RuleState>()(z.object({ enabled: z.boolean() }).strict()),
};
