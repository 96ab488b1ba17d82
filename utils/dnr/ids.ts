/**
 * Dynamic rule ids are global to the extension, so every rule family owns a reserved range and
 * every rule a constant inside it. Rules outside a family's range are never touched by that family.
 */
export interface RuleIdRange {
  first: number;
  last: number;
}

/** Strip-forceAuthn family: 1000–1099. */
export const STRIP_FORCE_AUTHN_RANGE: RuleIdRange = { first: 1000, last: 1099 };

/** Removes a top-level `forceAuthn` parameter wherever it sits. */
export const STRIP_TOP_LEVEL_RULE_ID = 1000;
/** Removes top-level `forceAuthn` after `to=` and `isForceAuthn` inside `to=`, in one redirect. */
export const STRIP_NESTED_AFTER_TO_RULE_ID = 1001;
/** Same, for a top-level `forceAuthn` placed before `to=`. */
export const STRIP_NESTED_BEFORE_TO_RULE_ID = 1002;

export function inRange(id: number, range: RuleIdRange): boolean {
  return Number.isInteger(id) && id >= range.first && id <= range.last;
}
