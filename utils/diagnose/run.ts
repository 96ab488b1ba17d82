import type { Finding, Launch, Severity } from '../model';
import { RULES } from './rules';
import type { Rule, RuleContext } from './types';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Run every rule on one launch, in list order (fallback rules come last and see earlier findings).
 * A rule that throws is reported as an info finding instead of breaking the analysis of the launch.
 */
export function runRules(launch: Launch, ctx: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  const findings = ctx.findings;
  for (const rule of rules) {
    try {
      const found = rule.detect(launch, ctx);
      for (let i = 0; i < found.length; i++) findings.push(found[i]!);
    } catch (e) {
      ctx.findings.push({
        ruleId: rule.id,
        severity: 'info',
        title: `Rule ${rule.id} could not run`,
        summary: `The rule failed on this launch: ${(e as Error).message}`,
        evidence: [],
        fixes: [],
      });
    }
  }
  if (findings.length < 2) return findings.slice();
  const index = ruleIndex(rules);
  return findings
    .slice()
    .sort(
      (a, b) =>
        ORDER[a.severity] - ORDER[b.severity] || (index.get(a.ruleId) ?? 0) - (index.get(b.ruleId) ?? 0),
    );
}

/** Position of each rule id in a rule list (the last one for a repeated id), built once per list. */
const indexes = new WeakMap<readonly Rule[], { rules: Rule[]; index: Map<string, number> }>();

function ruleIndex(rules: readonly Rule[]): Map<string, number> {
  const memo = indexes.get(rules);
  if (memo && memo.rules.length === rules.length && memo.rules.every((r, i) => r === rules[i])) {
    return memo.index;
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  indexes.set(rules, { rules: [...rules], index });
  return index;
}
