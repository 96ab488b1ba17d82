import type { RuleUpdate } from '../../utils/dnr/diff';
import type { StripRulePorts } from '../../utils/dnr/service';
import { DEFAULT_STRIP_SETTINGS, type DnrRule, type StripSettings } from '../../utils/dnr/types';

/**
 * A dynamic-rule store with Chromium's updateDynamicRules contract: removals first, then additions,
 * all or nothing; adding an id that still exists fails. Rules are deep-copied in and out, as over IPC.
 */
export function createFakeDnr(initial: DnrRule[] = []) {
  let rules: DnrRule[] = structuredClone(initial);
  const updates: RuleUpdate[] = [];
  return {
    updates,
    rules: () => structuredClone(rules),
    getDynamicRules: async () => structuredClone(rules),
    updateDynamicRules: async (update: RuleUpdate) => {
      await new Promise((r) => setTimeout(r, 1));
      const next = rules.filter((r) => !update.removeRuleIds.includes(r.id));
      for (const rule of update.addRules) {
        if (next.some((r) => r.id === rule.id))
          throw new Error(`Rule with id ${rule.id} does not have a unique ID.`);
        next.push(structuredClone(rule));
      }
      updates.push(structuredClone(update));
      rules = next;
    },
  };
}

/** Ports for the rule service with a fake DNR, an in-memory settings store and a set of granted patterns. */
export function createFakeRulePorts(
  options: { rules?: DnrRule[]; granted?: string[]; settings?: StripSettings; intent?: boolean } = {},
) {
  let intent = options.intent;
  const dnr = createFakeDnr(options.rules);
  const granted = new Set(options.granted ?? ['https://authorization.cerner.com/*']);
  let settings = options.settings ?? DEFAULT_STRIP_SETTINGS;
  const ports: StripRulePorts = {
    getDynamicRules: dnr.getDynamicRules,
    updateDynamicRules: dnr.updateDynamicRules,
    hasHostPermissions: async (patterns) => patterns.every((p) => granted.has(p)),
    loadSettings: async () => structuredClone(settings),
    saveSettings: async (s) => {
      settings = structuredClone(s);
    },
    loadIntent: async () => intent,
    saveIntent: async (enabled) => {
      intent = enabled;
    },
  };
  return { ports, dnr, granted, settings: () => settings, intent: () => intent };
}
