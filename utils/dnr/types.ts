/**
 * The subset of chrome.declarativeNetRequest types this project uses, declared here so utils/ stays free
 * of browser typings (the polyfill's Firefox-derived types and @types/chrome differ in details).
 */
export type ResourceType = 'main_frame' | 'sub_frame';

export interface DnrCondition {
  regexFilter?: string;
  urlFilter?: string;
  isUrlFilterCaseSensitive?: boolean;
  requestDomains?: string[];
  resourceTypes?: ResourceType[];
}

export interface DnrRedirect {
  regexSubstitution?: string;
  url?: string;
}

export interface DnrAction {
  type: 'redirect';
  redirect: DnrRedirect;
}

export interface DnrRule {
  id: number;
  priority?: number;
  action: DnrAction;
  condition: DnrCondition;
}

/** What the user configures for the strip-forceAuthn rule (persisted in storage, not in the rules). */
export interface StripSettings {
  /** Also remove `isForceAuthn=…` encoded inside the `to=` parameter. */
  stripNested: boolean;
  /** Hostnames of authorization servers whose session-api hop is rewritten. */
  hosts: string[];
}

export const DEFAULT_STRIP_SETTINGS: StripSettings = {
  stripNested: true,
  hosts: ['authorization.cerner.com'],
};

/** The rule's state as read back from getDynamicRules. */
export interface StripRuleState extends StripSettings {
  enabled: boolean;
}
