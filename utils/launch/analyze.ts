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
 * Cost. The recorder calls analyze() after every change with the same live exchange objects, and
 * bumps an exchange's revision (Exchange.revision) whenever it changes it in place. What depends on
 * one exchange alone is remembered per exchange object and revision (WeakMaps: it goes with the
 * exchange): classification and the decoded URL (classify.ts), correlation facts and strong keys
 * (correlate.ts), parsed token bodies (diagnose/context.ts). The flow context follows the capture's
 * changes (refine.ts, flowContext), and correlation goes on from a checkpoint of the previous run while
 * the capture begins with the same exchanges, correlating only the recent end (correlate.ts), which
 * hands out the launches it did not touch as the same objects. Such a launch keeps its findings and
 * status while it is as settled and as idle as before and the options are the same (and the time,
 * for a rule that reads ctx.now); a launch's findings are also reused while it has the same exchange
 * objects at the same revisions. Code that edits an exchange in place without bumping its revision is
 * not seen (tests/unit/analyze-memo.test.ts). Scope lists, discovery documents and scope diffs are
 * shared between launches. With `shared`, a launch that is the same as before is handed out as the
 * same object; without, launches, findings and step lists are new objects on every call (the steps
 * themselves are shared: nothing changes a step once it is made). The output is the same as without
 * any of this (tests/unit/analyze-memo.test.ts, tests/unit/correlate-incremental.test.ts).
 * Figures: `npm run bench`.
 *
 * Adding a rule: create utils/diagnose/rules/<rule-id>.ts exporting a `Rule` ({ id, severity, title,
 * detect(launch, ctx) → Finding[] }, helpers `finding`/`ev` from ../types, fixes from ../fixes), add it
 * to RULES in utils/diagnose/rules.ts before `unexplained-failure`, and add a fixture under
 * tests/fixtures/exchanges/ plus an assertion in tests/unit/diagnose-*.test.ts.
 */
import { buildContext, type ContextOptions, isSettled } from '../diagnose/context';
import { RULES } from '../diagnose/rules';
import { abortedByTab } from '../diagnose/rules/unexplained-failure';
import { runRules } from '../diagnose/run';
import type { Rule } from '../diagnose/types';
import type { Exchange, Finding, Launch, Step } from '../model';
import { getParam } from '../url';
import { correlate } from './correlate';
import { applyStatus, DEFAULT_ABANDON_MS } from './status';

export interface AnalyzeOptions extends ContextOptions {
  /** Override the rule list (tests, or a UI that lets the user silence rules). */
  rules?: readonly Rule[];
  /** Live launches idle this long without completing are abandoned (recorder settings); needs `now`. */
  abandonAfterMs?: number;
  /**
   * Hand out a launch that is the same as in an earlier call as the same object (findings and steps
   * included), for a caller that only reads them and analyzes the same capture again and again (the
   * recorder). Without it every call hands out new launch objects, findings and step lists.
   */
  shared?: boolean;
}

export function analyze(exchanges: readonly Exchange[], opts: AnalyzeOptions = {}): Launch[] {
  const correlated = correlate(exchanges);
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  const launches = new Array<Launch>(correlated.length);
  for (let i = 0; i < correlated.length; i++) {
    const launch = analyzed(correlated[i]!, opts, now);
    launches[i] = opts.shared
      ? launch
      : { ...launch, steps: launch.steps.slice(), findings: copyFindings(launch.findings) };
  }
  launches.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return startedAgain(launches, opts);
}

/**
 * A launch that stops without an outcome, or whose navigation the browser aborted (net::ERR_ABORTED: a
 * navigation replaced by another), while the same app starts another launch in the same tab after it,
 * was given up (a second click on Launch, a reload, a new attempt): not cut off by the end of the
 * recording, not refused, and, live, not waiting either (the tab has moved on). One whose callback
 * brought the code was not given up: it reads as settled at once (authorized). `launches` are newest
 * first; such a launch is replaced by a copy.
 */
function startedAgain(launches: Launch[], opts: AnalyzeOptions): Launch[] {
  for (let i = 1; i < launches.length; i++) {
    const l = launches[i]!;
    const aborted = l.status === 'failed' ? abortedStep(l) : undefined;
    if (l.status !== 'in-progress' && !aborted) continue;
    if (!l.clientId && !l.iss) continue;
    const end = l.endedAt ?? l.startedAt;
    const tabs = new Set(l.steps.map((s) => s.exchange.tabId));
    // The first launch of the same app (its client, or its FHIR server when it named no client yet)
    // after this one ended, in one of its tabs.
    let next: Launch | undefined;
    for (let j = i - 1; j >= 0; j--) {
      const m = launches[j]!;
      if (m.startedAt < end) continue;
      if (l.clientId ? m.clientId !== l.clientId : m.iss !== l.iss) continue;
      if (m.steps.some((s) => tabs.has(s.exchange.tabId))) {
        next = m;
        break;
      }
    }
    if (!next) continue;
    // Its callback brought the code: not given up. The tab moved on, so nothing more of it will come:
    // it reads as it will once settled (authorized: the token request was not seen).
    const coded =
      !aborted && l.steps.some((s) => s.kind === 'callback' && getParam(s.decoded, 'code') !== undefined);
    if (coded) {
      if (l.steps.some((s) => s.kind === 'token')) continue;
      const settled: Launch = { ...l, findings: l.findings.slice() };
      applyStatus(settled, { ...opts, now: undefined });
      if (settled.status === 'authorized') launches[i] = settled;
      continue;
    }
    const gap = next.startedAt - end;
    const who = l.clientId ? 'the same app' : 'a launch on the same FHIR server';
    const why = ranTwice(l, next, gap)
      ? "its code asked for authorization twice, as an effect run twice does (React's StrictMode runs effects twice in development)"
      : 'a second click on Launch, a reload, or a new attempt';
    const later = `${who} started ${l.clientId ? 'a new launch ' : ''}${gap < 1000 ? `${Math.round(gap)} ms` : `${(gap / 1000).toFixed(1)} s`} later in this tab (${why})`;
    const { failedAt: _failedAt, ...rest } = l;
    launches[i] = {
      ...rest,
      status: 'abandoned',
      statusReason: aborted
        ? `The browser aborted ${aborted.label} (${aborted.exchange.error}) as ${later}.`
        : `Nothing more of this launch after ${l.steps.at(-1)?.label ?? 'its start'}: ${later}.`,
      // The abort was no failure: the finding that took it for one goes.
      findings: aborted
        ? l.findings.filter(
            (f) =>
              !(
                f.ruleId === 'unexplained-failure' &&
                f.evidence.some((e) => e.exchangeId === aborted.exchange.id)
              ),
          )
        : l.findings,
    };
  }
  return launches;
}

/** Within this of each other, two authorize requests of one page with nothing between came from one run of its code. */
const TWICE_MS = 1000;

/**
 * The app's page asked for authorization twice at once: the given-up launch ends at its authorize request
 * and the next one begins at its own, in the same tab, well within a second (no launch URL loaded again:
 * no reload, no Back, no second click on Launch in the EHR).
 */
function ranTwice(l: Launch, next: Launch, gap: number): boolean {
  const last = l.steps.at(-1);
  const first = next.steps[0];
  if (!last || !first || gap > TWICE_MS || first.exchange.tabId !== last.exchange.tabId) return false;
  const authorize = (s: Step) => s.kind === 'authorize' || s.kind === 'loading-page';
  return authorize(last) && authorize(first) && last.exchange.hop === 0 && first.exchange.hop === 0;
}

/** The step a failed launch failed at, when that was the browser aborting it and nothing else failed. */
function abortedStep(l: Launch): Step | undefined {
  const step = l.steps.find((s) => s.exchange.id === l.failedAt);
  if (!step || !abortedByTab(step)) return undefined;
  const others = l.findings.some((f) => f.severity === 'error' && f.ruleId !== 'unexplained-failure');
  return others ? undefined : step;
}

/**
 * A correlated launch with its findings and status, and what they were worked out for: what of the
 * options and of the time they depend on. correlate() hands out the same launch object while its
 * steps are the same; so does analyze() then while the rest is too.
 */
interface Analyzed {
  out: Launch;
  settled: boolean;
  /** The time was given (live data: utils/launch/status.ts). */
  live: boolean;
  /** The launch was idle for abandonAfterMs (or its default) then. */
  abandoned: boolean;
  abandonAfterMs: number | undefined;
  /** Set when a rule read ctx.now itself: the findings hold for that time only. */
  at?: number;
  watched: readonly string[] | undefined;
  ends: readonly number[] | undefined;
  rules: readonly Rule[];
}

const analyzedLaunches = new WeakMap<Launch, Analyzed>();

/**
 * The launch with its findings and status (utils/launch/status.ts): a new object, so that the
 * correlated one stays as correlate() made it (rules read its preliminary status). Status and findings
 * depend on the time only through the launch being settled, being idle past abandonAfterMs, and a
 * rule reading the time itself.
 */
function analyzed(launch: Launch, opts: AnalyzeOptions, now: number): Launch {
  const rules = opts.rules ?? RULES;
  const settled = isSettled(launch, now, opts.recordingEnds);
  const live = Number.isFinite(now);
  const abandoned = now - (launch.endedAt ?? launch.startedAt) >= (opts.abandonAfterMs ?? DEFAULT_ABANDON_MS);
  const memo = analyzedLaunches.get(launch);
  if (
    memo &&
    sameInputs(memo, opts, now, rules, settled) &&
    memo.live === live &&
    memo.abandoned === abandoned &&
    memo.abandonAfterMs === opts.abandonAfterMs
  ) {
    return memo.out;
  }
  const diagnosis = diagnose(launch, opts, now, rules, settled);
  // The findings are shared with the diagnosis memo: applyStatus() puts them in a new list, never changes one.
  const out: Launch = { ...launch, findings: diagnosis.findings };
  applyStatus(out, opts);
  const fresh: Analyzed = {
    out,
    settled,
    live,
    abandoned,
    abandonAfterMs: opts.abandonAfterMs,
    watched: diagnosis.watched,
    ends: diagnosis.ends,
    rules: diagnosis.rules,
  };
  if (diagnosis.at !== undefined) fresh.at = diagnosis.at;
  analyzedLaunches.set(launch, fresh);
  return out;
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
  ends: readonly number[] | undefined;
  rules: readonly Rule[];
  findings: Finding[];
}

/** By the launch's first exchange; goes with it. */
const diagnoses = new WeakMap<Exchange, Diagnosis>();

function diagnose(
  launch: Launch,
  opts: AnalyzeOptions,
  now: number,
  rules: readonly Rule[],
  settled: boolean,
): Diagnosis {
  const steps = launch.steps;
  const first = steps[0]!.exchange;
  const memo = diagnoses.get(first);
  if (memo && sameInputs(memo, opts, now, rules, settled) && sameSteps(memo, steps)) return memo;
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
    ends: opts.recordingEnds && [...opts.recordingEnds],
    rules: rulesCopy(rules),
    findings,
  };
  if (nowRead) fresh.at = now;
  diagnoses.set(first, fresh);
  return fresh;
}

/**
 * What findings depend on besides the steps, as a memo of them was made for: whether the launch had
 * settled, the time when a rule read it itself, the watched origins, the ends of recording and the rules.
 */
function sameInputs(
  memo: {
    settled: boolean;
    at?: number;
    watched: readonly string[] | undefined;
    ends: readonly number[] | undefined;
    rules: readonly Rule[];
  },
  opts: AnalyzeOptions,
  now: number,
  rules: readonly Rule[],
  settled: boolean,
): boolean {
  return (
    memo.settled === settled &&
    (memo.at === undefined || memo.at === now) &&
    sameList(memo.watched, opts.watchedOrigins) &&
    sameList(memo.ends, opts.recordingEnds) &&
    sameList(memo.rules, rules)
  );
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
