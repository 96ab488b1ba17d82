import type { Runtime } from 'webextension-polyfill';
import type { Handlers } from '../../utils/messages/dispatch';
import type { sessionMessages } from '../../utils/messages/session';

export function createSessionHandlers(): Handlers<typeof sessionMessages, Runtime.MessageSender> {
  return {
    'session/plan': async () => null,
  };
}
