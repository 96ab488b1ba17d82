import { createSerialQueue } from '../serial-queue';
import { diffRules, type RuleUpdate } from './diff';
import { hostPermissionPatterns, parseHost } from './hosts';
import { STRIP_FORCE_AUTHN_RANGE } from './ids';
import { buildStripRules, stripStateFromRules } from './strip-force-authn';
import { DEFAULT_STRIP_SETTINGS, type DnrRule, type StripRuleState, type StripSettings } from './types';

/** Browser capabilities the rule feature needs; the background passes real ones, tests pass fakes. */
export interface StripRulePorts {
  getDynamicRules(): Promise<DnrRule[]>;
  updateDynamicRules(update: RuleUpdate): Promise<void>;
  /** Whether the extension currently holds these host permissions (granted at install or at runtime). */
  hasHostPermissions(patterns: string[]): Promise<boolean>;
  loadSettings(): Promise<StripSettings>;
  saveSettings(settings: StripSettings): Promise<void>;
  /**
   * On or off as the user last set it, kept apart from the rules: Chrome writes dynamic rules to disk
   * lazily, so a browser killed seconds after a toggle can come back with the rules of before it, while a
   * value in extension storage survives. Undefined before the first toggle (or from an older version).
   */
  loadIntent?(): Promise<boolean | undefined>;
  saveIntent?(enabled: boolean): Promise<void>;
}

export interface StripChange {
  enabled?: boolean;
  stripNested?: boolean;
  hosts?: string[];
}

function normalizeHosts(input: string[]): string[] {
  const hosts: string[] = [];
  for (const raw of input) {
    const parsed = parseHost(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    if (!hosts.includes(parsed.host)) hosts.push(parsed.host);
  }
  if (hosts.length === 0) throw new Error('At least one host is needed.');
  return hosts;
}

/**
 * The strip-forceAuthn feature: settings live in storage, on/off lives in the browser's dynamic rules
 * (which survive restarts and updates), and every answer is read back from getDynamicRules.
 * Changes are serialized so two quick toggles cannot interleave their read-diff-write sequences.
 */
export function createStripRuleService(ports: StripRulePorts) {
  const queue = createSerialQueue();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => queue.run(task);

  async function readState(): Promise<StripRuleState> {
    return stripStateFromRules(await ports.getDynamicRules(), await ports.loadSettings());
  }

  async function apply(enabled: boolean, settings: StripSettings): Promise<void> {
    const update = diffRules(
      await ports.getDynamicRules(),
      buildStripRules(enabled, settings),
      STRIP_FORCE_AUTHN_RANGE,
    );
    if (update) await ports.updateDynamicRules(update);
  }

  return {
    getState: () => serialized(readState),

    setState: (change: StripChange) =>
      serialized(async () => {
        const current = await readState();
        const stored = await ports.loadSettings();
        const settings: StripSettings = {
          stripNested: change.stripNested ?? stored.stripNested,
          hosts: change.hosts ? normalizeHosts(change.hosts) : stored.hosts,
        };
        const missing: string[] = [];
        for (const host of settings.hosts) {
          if (!(await ports.hasHostPermissions(hostPermissionPatterns(host)))) missing.push(host);
        }
        if (missing.length > 0) {
          throw new Error(
            `No host permission for ${missing.join(', ')}. Grant it from the options page first.`,
          );
        }
        await ports.saveSettings(settings);
        const enabled = change.enabled ?? current.enabled;
        // The intent first: a browser killed before the rules reach its disk restores them from it.
        if (change.enabled !== undefined) await ports.saveIntent?.(enabled);
        try {
          await apply(enabled, settings);
        } catch (error) {
          // Not made: the intent goes back to what the browser holds.
          if (change.enabled !== undefined) await ports.saveIntent?.(current.enabled).catch(() => undefined);
          throw error;
        }
        return readState();
      }),

    /**
     * Run at worker start: rebuilds installed rules from the settings (an update may change their shape),
     * and makes them what the user last set where the browser lost that (killed before it wrote them).
     */
    reconcile: () =>
      serialized(async () => {
        const state = await readState();
        const intent = await ports.loadIntent?.().catch(() => undefined);
        const enabled = intent ?? state.enabled;
        if (enabled || state.enabled) await apply(enabled, await ports.loadSettings());
        return readState();
      }),
  };
}

export type StripRuleService = ReturnType<typeof createStripRuleService>;
export { DEFAULT_STRIP_SETTINGS };
