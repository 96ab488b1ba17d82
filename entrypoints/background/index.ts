import type { Runtime } from 'webextension-polyfill';
import { protocol } from '../../utils/messages';
import { createDispatcher } from '../../utils/messages/dispatch';
import { createLaunchHandlers, findLaunch, startRecorder } from './launches';
import { createRuleHandlers, startRules } from './rules';
import { createSessionHandlers } from './session';
import { browserTabPorts, createTabHandlers } from './tabs';

/** Only this extension's own pages (popup, DevTools, launch log) may talk to the worker. */
function isOwnPage(sender: Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  const ownOrigin = browser.runtime.getURL('/');
  return typeof sender.url === 'string' && sender.url.startsWith(ownOrigin);
}

export default defineBackground(() => {
  // Every listener is registered synchronously here so a restarted worker receives the event that woke it.
  const dispatch = createDispatcher(
    protocol,
    {
      ...createRuleHandlers(),
      ...createSessionHandlers(),
      ...createLaunchHandlers(),
      ...createTabHandlers({ ports: browserTabPorts, getLaunch: findLaunch }),
    },
    {
      isTrusted: isOwnPage,
      onError: (type, error) => console.error(`[smart-launch-debugger] ${type} failed`, error),
    },
  );
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    dispatch(message, sender),
  );
  startRules();
  startRecorder();
});
