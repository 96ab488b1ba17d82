import type { Runtime } from 'webextension-polyfill';
import type { Handlers } from '../../utils/messages/dispatch';
import type { tabMessages } from '../../utils/messages/tabs';

/** Minimal tab API the relaunch needs (no `tabs` permission: update/create with a URL do not need it). */
export interface TabPorts {
  update(tabId: number, props: { url: string; active: boolean }): Promise<unknown>;
  create(props: { url: string; active: boolean }): Promise<{ id?: number }>;
}

export function browserTabPorts(): TabPorts {
  return {
    update: (tabId, props) => browser.tabs.update(tabId, props),
    create: (props) => browser.tabs.create(props),
  };
}

export function createTabHandlers(
  ports: () => TabPorts = browserTabPorts,
): Handlers<typeof tabMessages, Runtime.MessageSender> {
  return {
    'tabs/relaunch': async ({ url, tabId }) => {
      const tabs = ports();
      if (tabId !== undefined) {
        try {
          await tabs.update(tabId, { url, active: true });
          return { tabId, sameTab: true };
        } catch {
          // The tab was closed since the launch: open a new one instead.
        }
      }
      const created = await tabs.create({ url, active: true });
      if (created.id === undefined) throw new Error('The browser opened no tab for the relaunch.');
      return { tabId: created.id, sameTab: false };
    },
  };
}
