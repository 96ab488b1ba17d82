/**
 * analyze(): recorded exchanges in, launches with findings out — the one entry point the extension,
 * the web app and any CLI call.
 *
 * Pipeline
 *   1. classify (utils/launch/classify.ts): each Exchange → StepKind + label + decoded URL (nested `to=`
 *      expanded by utils/url).
 *   2. correlate (utils/launch/correlate.ts): steps → launches, by strong keys (request id, `launch`,
 *      `state`, code) then weak evidence per kind (tab, client, FHIR base, time window); computes status,
 *      failedAt and per-step timing. Input order does not matter (exchanges are sorted first).
 *   3. diagnose (utils/diagnose): per launch, buildContext() derives shared facts once (authorize params,
 *      discovery document, token responses, requested/granted/supported scopes), then runRules() runs every
 *      rule of utils/diagnose/rules.ts in order.
 *   4. A settled launch still "in progress" that has an error finding becomes failed at that evidence.
 *
 * Cost. The recorder calls analyze() on every launch-list request with the same live exchange objects,
 * so what depends on one exchange alone is remembered per exchange object (WeakMaps: it goes with the
 * exchange) together with every field it was read from, and recomputed when one of them changes:
 * classification and the decoded URL (classify.ts), correlation facts and strong keys (correlate.ts),
 * parsed token bodies (diagnose/context.ts). Scope lists, discovery documents and scope diffs are shared
 * between launches. Steps, launches and findings are built fresh on every call; the output is the same
 * as without any of this (tests/unit/analyze-memo.test.ts). Figures: `npm run bench`.
 *
 * Adding a rule: create utils/diagnose/rules/<rule-id>.ts exporting a `Rule` ({ id, severity, title,
 * detect(launch, ctx) → Finding[] }, helpers `finding`/`ev` from ../types, fixes from ../fixes), add it
 * to RULES in utils/diagnose/rules.ts before `unexplained-failure`, and add a fixture under
 * tests/fixtures/exchanges/ plus an assertion in tests/unit/diagnose-*.test.ts.
 */
import { buildContext, type ContextOptions } from '../diagnose/context';
import { runRules } from '../diagnose/run';
import type { Rule } from '../diagnose/types';
import type { Exchange, Launch } from '../model';
import { correlate } from './correlate';

export interface AnalyzeOptions extends ContextOptions {
  /** Override the rule list (tests, or a UI that lets the user silence rules). */
  rules?: readonly Rule[];
}

export function analyze(exchanges: readonly Exchange[], opts: AnalyzeOptions = {}): Launch[] {
  const launches = correlate(exchanges);
  for (const launch of launches) {
    const ctx = buildContext(launch, opts);
    launch.findings = runRules(launch, ctx, opts.rules);
    if (launch.status === 'in-progress' && ctx.settled) {
      const blocking = launch.findings.find(
        (f) => f.severity === 'error' && f.evidence.some((e) => e.exchangeId),
      );
      if (blocking) {
        launch.status = 'failed';
        launch.failedAt = blocking.evidence.find((e) => e.exchangeId)!.exchangeId;
      }
    }
  }
  return launches.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
