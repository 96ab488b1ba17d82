import type { Runtime } from 'webextension-polyfill';
import type { Handlers } from '../../utils/messages/dispatch';
import type { ruleMessages } from '../../utils/messages/rules';

export function createRuleHandlers(): Handlers<typeof ruleMessages, Runtime.MessageSender> {
  return {
    'rules/get': async () => ({ enabled: false }),
    'rules/set': async ({ enabled }) => ({ enabled }),
  };
}

export function startRules(): void {}
