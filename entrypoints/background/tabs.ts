import type { Runtime } from 'webextension-polyfill';
import { relaunchPlan } from '../../utils/launch/relaunch';
import type { Handlers } from '../../utils/messages/dispatch';
import type { tabMessages } from '../../utils/messages/tabs';
import type { Launch } from '../../utils/model';

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

export interface TabDeps {
  ports: () => TabPorts;
  /** A recorded launch in full, or null when there is none with that id. */
  getLaunch: (id: string) => Promise<Launch | null>;
}

export function createTabHandlers(deps: TabDeps): Handlers<typeof tabMessages, Runtime.MessageSender> {
  return {
    'tabs/relaunch': async ({ launchId }) => {
      const launch = await deps.getLaunch(launchId);
      if (!launch) return { ok: false, reason: 'That launch is no longer in the log.' };
      const plan = relaunchPlan(launch);
      if (!plan.ok) return { ok: false, reason: plan.reason };
      const tabs = deps.ports();
      const active = true;
      if (plan.tabId !== undefined) {
        try {
          await tabs.update(plan.tabId, { url: plan.url, active });
          return { ok: true, tabId: plan.tabId, sameTab: true, url: plan.url, note: plan.note };
        } catch {
          // The tab was closed since the launch: open a new one instead.
        }
      }
      const created = await tabs.create({ url: plan.url, active });
      if (created.id === undefined) throw new Error('The browser opened no tab for the relaunch.');
      return { ok: true, tabId: created.id, sameTab: false, url: plan.url, note: plan.note };
    },
  };
}
