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
 *   4. status (utils/launch/status.ts): the launch's outcome (failed, succeeded, authorized, cancelled,
 *      abandoned, in progress), the failing step and a one-line reason, from its steps and findings; the
 *      finding behind the status is moved first. correlate's status is only a preliminary value.
 *
 * Cost. The recorder calls analyze() on every launch-list request with the same live exchange objects,
 * and bumps an exchange's revision (Exchange.revision) whenever it changes it in place. What depends on
 * one exchange alone is remembered per exchange object and revision (WeakMaps: it goes with the
 * exchange): classification and the decoded URL (classify.ts), correlation facts and strong keys
 * (correlate.ts), parsed token bodies (diagnose/context.ts). Correlation itself goes on from a checkpoint
 * of the previous run while the capture begins with the same exchanges, and correlates only the recent
 * end (correlate.ts). A launch's findings are reused while it
 * has the same exchange objects at the same revisions, the launch is as settled as before, and the
 * watched origins and rules are the same (and the time, for a rule that reads ctx.now). Code that edits
 * an exchange in place without bumping its revision is not seen (tests/unit/analyze-memo.test.ts). Scope lists, discovery
 * documents and scope diffs are shared between launches. Launches and findings are new objects on every
 * call; steps are shared between calls while they are the same (nothing changes a step once it is made).
 * The output is the same as without any of this (tests/unit/analyze-memo.test.ts).
 * Figures: `npm run bench`.
 *
 * Adding a rule: create utils/diagnose/rules/<rule-id>.ts exporting a `Rule` ({ id, severity, title,
 * detect(launch, ctx) → Finding[] }, helpers `finding`/`ev` from ../types, fixes from ../fixes), add it
 * to RULES in utils/diagnose/rules.ts before `unexplained-failure`, and add a fixture under
 * tests/fixtures/exchanges/ plus an assertion in tests/unit/diagnose-*.test.ts.
 */
import { buildContext, type ContextOptions, isSettled } from '../diagnose/context';
import { RULES } from '../diagnose/rules';
import { runRules } from '../diagnose/run';
import type { Rule } from '../diagnose/types';
import type { Exchange, Finding, Launch } from '../model';
import { correlate } from './correlate';
import { applyStatus } from './status';

export interface AnalyzeOptions extends ContextOptions {
  /** Override the rule list (tests, or a UI that lets the user silence rules). */
  rules?: readonly Rule[];
  /** Live launches idle this long without completing are abandoned (recorder settings); needs `now`. */
  abandonAfterMs?: number;
}

export function analyze(exchanges: readonly Exchange[], opts: AnalyzeOptions = {}): Launch[] {
  const launches = correlate(exchanges);
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  for (const launch of launches) {
    launch.findings = diagnose(launch, opts, now);
    applyStatus(launch, opts);
  }
  return launches.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * What the rules found for a launch, and on what: a launch is its steps, and its steps follow from
 * their exchanges alone, so the same exchanges at the same revisions make the same launch.
 */
interface Diagnosis {
  exchanges: Exchange[];
  revisions: number[];
  settled: boolean;
  /** Set when a rule read ctx.now itself: the findings hold for that time only. */
  at?: number;
  watched: readonly string[] | undefined;
  rules: readonly Rule[];
  findings: Finding[];
}

/** By the launch's first exchange; goes with it. */
const diagnoses = new WeakMap<Exchange, Diagnosis>();

function diagnose(launch: Launch, opts: AnalyzeOptions, now: number): Finding[] {
  const rules = opts.rules ?? RULES;
  const settled = isSettled(launch, now);
  const steps = launch.steps;
  const first = steps[0]!.exchange;
  const memo = diagnoses.get(first);
  if (
    memo &&
    memo.settled === settled &&
    (memo.at === undefined || memo.at === now) &&
    sameSteps(memo, steps) &&
    sameList(memo.watched, opts.watchedOrigins) &&
    sameList(memo.rules, rules)
  ) {
    return copyFindings(memo.findings);
  }
  // The lists are made for a new memo only: a launch found unchanged allocates none.
  const exchanges: Exchange[] = new Array(steps.length);
  const revisions: number[] = new Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const ex = steps[i]!.exchange;
    exchanges[i] = ex;
    revisions[i] = ex.revision ?? 0;
  }
  let nowRead = false;
  const ctx = buildContext(launch, opts, () => {
    nowRead = true;
  });
  const findings = runRules(launch, ctx, rules);
  const fresh: Diagnosis = {
    exchanges,
    revisions,
    settled,
    watched: opts.watchedOrigins && [...opts.watchedOrigins],
    rules: rulesCopy(rules),
    findings,
  };
  if (nowRead) fresh.at = now;
  diagnoses.set(first, fresh);
  return copyFindings(findings);
}

/** The last copy of a rule list made for a memo: launches analyzed together share it. */
let lastRules: readonly Rule[] = [];

function rulesCopy(rules: readonly Rule[]): readonly Rule[] {
  if (!sameList(lastRules, rules)) lastRules = [...rules];
  return lastRules;
}

/** The memo was made for these steps' exchanges, at their present revisions. */
function sameSteps(memo: Diagnosis, steps: Launch['steps']): boolean {
  const { exchanges, revisions } = memo;
  if (exchanges.length !== steps.length) return false;
  for (let i = 0; i < steps.length; i++) {
    const ex = steps[i]!.exchange;
    if (exchanges[i] !== ex || revisions[i] !== (ex.revision ?? 0)) return false;
  }
  return true;
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Findings are handed out as new objects on every call; the remembered ones stay as the rules made them. */
function copyFindings(findings: Finding[]): Finding[] {
  return findings.map((f) => ({
    ...f,
    evidence: f.evidence.map((e) => ({ ...e })),
    fixes: f.fixes.map((x) => ({ ...x })),
  }));
}
