import type { Runtime } from 'webextension-polyfill';
import { z } from 'zod';
import { SESSION_API_FILTER } from '../../utils/capture/listen-filters';
import type { RuleUpdate } from '../../utils/dnr/diff';
import { createRewriteTracker } from '../../utils/dnr/rewrites';
import { createStripRuleService, type StripRulePorts, type StripRuleService } from '../../utils/dnr/service';
import { DEFAULT_STRIP_SETTINGS, type DnrRule, type StripSettings } from '../../utils/dnr/types';
import type { Handlers } from '../../utils/messages/dispatch';
import type { ruleMessages } from '../../utils/messages/rules';
import { forgetTab, recordRewrite, refreshTab, rewritesInTab, showRuleState } from './badge';

const settingsSchema = z.object({
  stripNested: z.boolean(),
  hosts: z.array(z.string().min(1).max(253)).min(1).max(20),
});

/** Key of the strip settings in storage.local (the capture listeners follow its host list too: onStripSettingsSaved). */
const STRIP_SETTINGS_KEY = 'stripForceAuthn.settings';

function settingsItem() {
  return storage.defineItem<StripSettings>(`local:${STRIP_SETTINGS_KEY}`, {
    fallback: DEFAULT_STRIP_SETTINGS,
    version: 1,
  });
}

/** On or off as last set by the user (StripRulePorts.loadIntent). */
function intentItem() {
  return storage.defineItem<boolean | null>(`local:${STRIP_SETTINGS_KEY}.enabled`, { fallback: null });
}

const savedListeners = new Set<() => void>();

/**
 * Calls `listener` after the strip settings were saved; returns the unsubscribe. Only this worker writes
 * them (the options page and the popup go through `rules/set`), so no storage.onChanged listener is needed:
 * one would be woken by every journal write (entrypoints/background/journal.ts), one per captured event.
 */
export function onStripSettingsSaved(listener: () => void): () => void {
  savedListeners.add(listener);
  return () => savedListeners.delete(listener);
}

/** chrome.declarativeNetRequest through the polyfill; its Firefox-derived types differ, so cast here only. */
interface DnrApi {
  getDynamicRules(): Promise<DnrRule[]>;
  updateDynamicRules(update: RuleUpdate): Promise<void>;
}

export function browserRulePorts(): StripRulePorts {
  const dnr = browser.declarativeNetRequest as unknown as DnrApi;
  const item = settingsItem();
  const intent = intentItem();
  return {
    getDynamicRules: () => dnr.getDynamicRules(),
    updateDynamicRules: (update) => dnr.updateDynamicRules(update),
    hasHostPermissions: (origins) => browser.permissions.contains({ origins }),
    // A corrupted or hand-edited value falls back to the defaults instead of breaking the feature.
    loadSettings: async () => {
      const parsed = settingsSchema.safeParse(await item.getValue());
      return parsed.success ? parsed.data : DEFAULT_STRIP_SETTINGS;
    },
    saveSettings: async (settings) => {
      await item.setValue(settings);
      for (const listener of savedListeners) listener();
    },
    loadIntent: async () => {
      const value = await intent.getValue();
      return typeof value === 'boolean' ? value : undefined;
    },
    saveIntent: (enabled) => intent.setValue(enabled),
  };
}

let shared: StripRuleService | undefined;
function defaultService(): StripRuleService {
  shared ??= createStripRuleService(browserRulePorts());
  return shared;
}

export function createRuleHandlers(
  service: StripRuleService = defaultService(),
): Handlers<typeof ruleMessages, Runtime.MessageSender> {
  return {
    'rules/get': () => service.getState(),
    'rules/set': async (change) => {
      const state = await service.setState(change);
      await showRuleState(state.enabled);
      return state;
    },
    'rules/stats': async ({ tabId }) => ({ tabId, rewrites: await rewritesInTab(tabId) }),
  };
}

/** Only session-api navigations can be rewritten by the rule; the host list is enforced by the rule itself. */
const SESSION_API = SESSION_API_FILTER;

/** Registered synchronously at worker start: reconciles the rules, restores the badge, counts rewrites. */
export function startRules(service: StripRuleService = defaultService()): void {
  const tracker = createRewriteTracker();
  const count = (rewrite: { tabId: number } | null) => {
    if (rewrite) recordRewrite(rewrite.tabId).catch((e) => console.error('[smart-launch-debugger] badge', e));
  };
  browser.webRequest.onBeforeRequest.addListener((d) => {
    tracker.beforeRequest(d);
    return undefined;
  }, SESSION_API);
  browser.webRequest.onBeforeRedirect.addListener((d) => count(tracker.beforeRedirect(d)), SESSION_API);
  browser.webRequest.onHeadersReceived.addListener((d) => {
    count(tracker.settled(d));
    return undefined;
  }, SESSION_API);
  browser.webRequest.onErrorOccurred.addListener((d) => count(tracker.settled(d)), SESSION_API);
  const reapply = (d: { tabId: number; frameId: number }) => {
    if (d.frameId === 0) refreshTab(d.tabId).catch(() => undefined);
  };
  browser.webNavigation.onCommitted.addListener(reapply);
  browser.webNavigation.onCompleted.addListener(reapply);
  browser.tabs.onRemoved.addListener((tabId) => {
    forgetTab(tabId).catch(() => undefined);
  });
  service
    .reconcile()
    .then((state) => showRuleState(state.enabled))
    .catch((e) => console.error('[smart-launch-debugger] could not restore the strip-forceAuthn rule', e));
}
