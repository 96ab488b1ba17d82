import { createProtocolClient } from '../../utils/messages';
import type { PushedChanges, RecorderHealth } from '../../utils/messages/launches';
import { subscribeToLaunches } from '../../utils/messages/subscribe';

/** Everything the popup needs from the browser, in one replaceable object (tests build their own). */
export interface PopupPlatform {
  call: ReturnType<typeof createProtocolClient>;
  activeTabId(): Promise<number | undefined>;
  logUrl: string;
  openLog(): Promise<void>;
  openOptions(): Promise<void>;
  /** Asks for host access to an origin (the Watch fix); true when granted. */
  /** Asks to watch these origins, in one permission prompt. */
  requestOrigins(origins: readonly string[]): Promise<boolean>;
  /**
   * Calls `onChange` when the background says stored launches or its health changed, with the summary
   * changes when the notice carries them; returns the unsubscribe.
   */
  subscribe(onChange: (health: RecorderHealth, changes?: PushedChanges) => void): () => void;
}

export function browserPlatform(): PopupPlatform {
  const logUrl = browser.runtime.getURL('/log.html');
  return {
    call: createProtocolClient((envelope) => browser.runtime.sendMessage(envelope)),
    activeTabId: async () => (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id,
    logUrl,
    openLog: async () => {
      await browser.tabs.create({ url: logUrl });
    },
    openOptions: () => browser.runtime.openOptionsPage(),
    requestOrigins: (origins) =>
      browser.permissions.request({ origins: origins.map((o) => `${o.replace(/\/$/, '')}/*`) }),
    subscribe: (onChange) => subscribeToLaunches(browser.runtime, onChange),
  };
}
