import type { Runtime } from 'webextension-polyfill';
import type { Handlers } from '../../utils/messages/dispatch';
import type { launchMessages } from '../../utils/messages/launches';

export function createLaunchHandlers(): Handlers<typeof launchMessages, Runtime.MessageSender> {
  return {
    'launches/list': async () => [],
  };
}

export function startRecorder(): void {}
