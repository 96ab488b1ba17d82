import {
  STRIP_NESTED_AFTER_TO_RULE_ID,
  STRIP_NESTED_BEFORE_TO_RULE_ID,
  STRIP_TOP_LEVEL_RULE_ID,
} from './ids';
import type { DnrRule, StripSettings } from './types';

/*
 * Why regexFilter + regexSubstitution rather than queryTransform.removeParams:
 * - removeParams matches keys case-sensitively; Oracle's parser is undocumented, so every case variant
 *   of `forceAuthn` (ForceAuthn, forceauthn, …) is stripped. regexFilter is case-insensitive by default.
 * - `isForceAuthn=true` lives URL-encoded inside the `to=` value, out of reach of removeParams.
 * - Redirect rules do not combine on one request, so each rule performs *all* edits for the URL shape
 *   it matches; the nested rules outrank the top-level-only rule.
 * Every substitution deletes at least one character, so a rewritten URL is strictly shorter: a chain of
 * re-evaluations (e.g. a URL with two `forceAuthn` keys) always ends, and a clean URL never matches.
 * Only RE2 syntax that JavaScript interprets identically is used (no lookaround, no backreferences).
 */

/** …/session-api/realm/<realm>? (host restricted by requestDomains). Request URLs carry no fragment. */
const BASE = '[^?]*/session-api/realm/[^?]*\\?';
/** A top-level forceAuthn key, with or without a value. */
const TOP_KEY = 'forceAuthn(?:=[^&]*)?';
/** `&isForceAuthn=<value>` URL-encoded once (%26, %3D) or twice (%2526, %253D) inside `to=`. */
const NESTED_KEY = '%(?:25)?26isForceAuthn%(?:25)?3D[^%&]*';

/*
 * Chromium compiles each regexFilter, captures included, within a 2 KB RE2 memory budget; a rule over it
 * is rejected by updateDynamicRules (isRegexSupported, which ignores captures, can still say yes).
 * These patterns were sized against that budget and the e2e suite installs them in Chromium.
 */

/** `?forceAuthn[=v][&rest]` → `?rest`;  `?pre&forceAuthn[=v][&rest]` → `?pre&rest`. */
export const TOP_LEVEL_REGEX = `^(${BASE})(?:${TOP_KEY}(?:&(.*))?|(.*?)&${TOP_KEY}(&.*)?)$`;
export const TOP_LEVEL_SUBSTITUTION = '\\1\\2\\3\\4';

/** `?…to=…%26isForceAuthn%3Dv…&…&forceAuthn=v[&rest]`: both removed in one redirect. */
export const NESTED_AFTER_TO_REGEX = `^(${BASE}(?:.*&)?to=[^&]*?)${NESTED_KEY}([^&]*(?:&.*?)?)&${TOP_KEY}((?:&.*)?)$`;
/** `?…forceAuthn=v&…to=…%26isForceAuthn%3Dv…`: both removed in one redirect. */
export const NESTED_BEFORE_TO_REGEX = `^(${BASE}(?:.*?&)?)${TOP_KEY}&((?:.*&)?to=[^&]*?)${NESTED_KEY}(.*)$`;
export const NESTED_SUBSTITUTION = '\\1\\2\\3';

const NAVIGATIONS: DnrRule['condition']['resourceTypes'] = ['main_frame', 'sub_frame'];

function redirectRule(
  id: number,
  priority: number,
  hosts: string[],
  regexFilter: string,
  substitution: string,
): DnrRule {
  return {
    id,
    priority,
    action: { type: 'redirect', redirect: { regexSubstitution: substitution } },
    condition: { regexFilter, requestDomains: [...hosts], resourceTypes: [...(NAVIGATIONS ?? [])] },
  };
}

/** The dynamic rules that should exist for these settings when the feature is on (none when off). */
export function buildStripRules(enabled: boolean, settings: StripSettings): DnrRule[] {
  if (!enabled || settings.hosts.length === 0) return [];
  const rules = [
    redirectRule(STRIP_TOP_LEVEL_RULE_ID, 1, settings.hosts, TOP_LEVEL_REGEX, TOP_LEVEL_SUBSTITUTION),
  ];
  if (settings.stripNested) {
    rules.push(
      redirectRule(
        STRIP_NESTED_AFTER_TO_RULE_ID,
        2,
        settings.hosts,
        NESTED_AFTER_TO_REGEX,
        NESTED_SUBSTITUTION,
      ),
      redirectRule(
        STRIP_NESTED_BEFORE_TO_RULE_ID,
        2,
        settings.hosts,
        NESTED_BEFORE_TO_REGEX,
        NESTED_SUBSTITUTION,
      ),
    );
  }
  return rules;
}

/** Reads the feature's state back from the rules the browser holds. */
export function stripStateFromRules(rules: DnrRule[], stored: StripSettings) {
  const top = rules.find((r) => r.id === STRIP_TOP_LEVEL_RULE_ID);
  if (!top) return { enabled: false, ...stored };
  return {
    enabled: true,
    stripNested: rules.some((r) => r.id === STRIP_NESTED_AFTER_TO_RULE_ID),
    hosts: top.condition.requestDomains ?? [],
  };
}
