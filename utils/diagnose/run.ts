import type { Finding, Launch, Severity } from '../model';
import { RULES } from './rules';
import type { Rule, RuleContext } from './types';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Run every rule on one launch, in list order (fallback rules come last and see earlier findings).
 * A rule that throws is reported as an info finding instead of breaking the analysis of the launch.
 */
export function runRules(launch: Launch, ctx: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  for (const rule of rules) {
    try {
      ctx.findings.push(...rule.detect(launch, ctx));
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
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return [...ctx.findings].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] || (index.get(a.ruleId) ?? 0) - (index.get(b.ruleId) ?? 0),
  );
}
