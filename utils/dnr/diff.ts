import { inRange, type RuleIdRange } from './ids';
import type { DnrRule } from './types';

/** Argument of one atomic updateDynamicRules call. */
export interface RuleUpdate {
  removeRuleIds: number[];
  addRules: DnrRule[];
}

/** Key order and absent-vs-undefined do not matter to Chrome, so compare a canonical form. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function sameRule(a: DnrRule, b: DnrRule): boolean {
  return (
    JSON.stringify(canonical({ priority: 1, ...a })) === JSON.stringify(canonical({ priority: 1, ...b }))
  );
}

/**
 * What to change so that the rules inside `range` become exactly `wanted`. Rules outside the range
 * belong to other features and are left alone. Returns null when nothing needs to change, so toggling
 * to the current state makes no browser call at all.
 */
export function diffRules(current: DnrRule[], wanted: DnrRule[], range: RuleIdRange): RuleUpdate | null {
  for (const rule of wanted) {
    if (!inRange(rule.id, range))
      throw new Error(`Rule id ${rule.id} is outside ${range.first}–${range.last}`);
  }
  const ours = current.filter((r) => inRange(r.id, range));
  const removeRuleIds = ours
    .filter((r) => !wanted.some((w) => w.id === r.id && sameRule(w, r)))
    .map((r) => r.id);
  const addRules = wanted.filter((w) => !ours.some((r) => r.id === w.id && sameRule(w, r)));
  // A changed rule is removed and re-added in the same call (Chrome applies removals first).
  for (const rule of addRules) {
    if (ours.some((r) => r.id === rule.id) && !removeRuleIds.includes(rule.id)) removeRuleIds.push(rule.id);
  }
  if (removeRuleIds.length === 0 && addRules.length === 0) return null;
  return { removeRuleIds, addRules };
}
