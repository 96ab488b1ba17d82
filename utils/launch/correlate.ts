import type { Exchange, Launch, LaunchStatus, Step, StepKind } from '../model';
import { smartConfigOf } from '../smart/smart-config';
import { hasParam } from '../url';
import { originOf, splitUrl } from '../url/split';
import {
  type Classification,
  type Classified,
  classification,
  NEEDS_PARAMS as NEEDS_DECODED,
} from './classify';
import { type StepFacts, stepFacts } from './facts';
import { authorizeBetween, type FlowContext, flowContext, refine } from './refine';

/** Weak matches (same tab, same client…) only reach back this far. */
export const AUTH_WINDOW_MS = 10 * 60_000;
/** FHIR calls and refreshes belong to the launch that obtained the token for this long. */
export const SESSION_WINDOW_MS = 12 * 60 * 60_000;
/** How many recent launches a weak match looks through (keeps correlation linear). */
const LOOKBACK = 64;
/** A webNavigation record and a webRequest record of the same URL this close together are one step. */
const DUPLICATE_MS = 2000;

/** Steps of the authorization flow itself: their failure ends a launch; FHIR/JWKS/other failures are diagnosed but do not. */
export const FLOW_KINDS = new Set<StepKind>([
  'ehr-launch',
  'standalone-launch',
  'discovery',
  'authorize',
  'loading-page',
  'session-api',
  'idp-login',
  'error-page',
  'callback',
  'token',
]);
const AUTHORIZE_LIKE = new Set<StepKind>(['authorize', 'loading-page', 'session-api']);

interface Draft {
  steps: Step[];
  facts: StepFacts;
  tabs: Set<number>;
  appOrigins: Set<string>;
  authHost: string | undefined;
  startedAt: number;
  lastAt: number;
  /** normBase(facts.iss), kept up to date with facts.iss. */
  issBase: string;
  /** Base of facts.redirectUri (without query), when it is set. */
  redirectBase: string | undefined;
  /** Has an authorize, Loading page or session-api step. */
  authorizeLike: boolean;
  hasCallback: boolean;
  hasErrorPage: boolean;
  hasToken: boolean;
  /** Base of the `token_endpoint` of the launch's discovery document, when one was seen. */
  tokenEndpoint: string | undefined;
}

/** Strict order so the result does not depend on the order exchanges were given in. */
export function byTime(a: Exchange, b: Exchange): number {
  return a.startedAt - b.startedAt || a.hop - b.hop || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Group exchanges into launches. Each step is first classified in the context of what the launches
 * declared (refine.ts). Strong keys (request id, `launch`, code fingerprint, `state`, and a PKCE
 * challenge for token requests) link steps wherever they occur; weaker evidence (same tab, same
 * client, same FHIR base, the discovery's token endpoint, time) is used per step kind and only reaches
 * back a bounded window. Exchanges that belong to no SMART launch are left out.
 */
export function correlate(exchanges: readonly Exchange[]): Launch[] {
  const sorted = [...exchanges].sort(byTime);
  const drafts: Draft[] = [];
  const keys = new StrongIndex();
  const classes = sorted.map(classification);
  const context = flowContext(sorted, classes);

  for (let i = 0; i < sorted.length; i++) {
    const ex = sorted[i]!;
    const c = classes[i]!;
    const [kind, label] = refine(ex, c, context, i);
    const step = toStep(ex, c, kind, label);
    const derived = derive(ex, c, step);
    const { facts, redirectOrigin } = derived;
    let draft = pickByKeys(step.kind, derived, keys, drafts, ex);
    draft ??= weakMatch(step, c, facts, drafts, context);
    if (!draft && startsLaunch(step.kind)) {
      draft = {
        steps: [],
        facts: {
          launchParam: undefined,
          state: undefined,
          clientId: undefined,
          redirectUri: undefined,
          iss: undefined,
          persona: undefined,
          tenant: undefined,
        },
        tabs: new Set(),
        appOrigins: new Set(),
        startedAt: ex.startedAt,
        lastAt: ex.startedAt,
        issBase: '',
        authorizeLike: false,
        hasCallback: false,
        hasErrorPage: false,
        hasToken: false,
        // Every field from the start: drafts keep one shape however they fill in.
        authHost: undefined,
        redirectBase: undefined,
        tokenEndpoint: undefined,
      };
      drafts.push(draft);
    }
    if (!draft) continue;
    // Steps that join a launch carry their decoded URL (decoded once per exchange, see classify()).
    step.decoded ??= c.decoded;
    addStep(draft, step, facts, redirectOrigin);
    keys.add(derived, draft);
  }
  return drafts.map(toLaunch);
}

/**
 * A step; kinds whose parameters correlation reads get their decoded URL now, the others once they
 * join a launch (exchanges that belong to no launch are never decoded). Every step has the same
 * properties in the same order, whatever its kind.
 */
function toStep(ex: Exchange, c: Classified, kind: StepKind, label: string): Step {
  const decoded = NEEDS_DECODED.has(kind) ? c.decoded : undefined;
  if (ex.completedAt === undefined) {
    return { exchange: ex, kind, label, offsetMs: 0, failed: false, decoded };
  }
  return {
    exchange: ex,
    kind,
    label,
    offsetMs: 0,
    failed: false,
    decoded,
    durationMs: Math.max(0, ex.completedAt - ex.startedAt),
  };
}

/** What correlation reads from one exchange on its own, besides its classification; its strong keys too. */
interface Derived extends StrongKeys {
  /** The step kind in context (refine.ts), which the facts depend on. */
  kind: StepKind;
  facts: StepFacts;
  /** Origin of facts.redirectUri; '' when there is none. */
  redirectOrigin: string;
}

/**
 * Kept on the exchange's classification entry (see classification()), so it lasts as long as the
 * exchange keeps its revision, and reused while the step's kind in context is the same.
 */
function derive(ex: Exchange, c: Classification, step: Step): Derived {
  const memo = c.derived as Derived | undefined;
  if (memo && memo.kind === step.kind) return memo;
  const kind = step.kind;
  const f = stepFacts(step, c);
  // One object per exchange, every field set (absent keys undefined), kept as long as the exchange.
  const fresh: Derived = {
    kind,
    facts: f,
    redirectOrigin: f.redirectUri ? originOf(f.redirectUri) : '',
    har: ex.source === 'har',
    req: ex.requestId || undefined,
    launch: f.launchParam || undefined,
    code: f.codeFingerprint && (kind === 'callback' || kind === 'token') ? f.codeFingerprint : undefined,
    state: f.state || undefined,
    // An app that reuses one verifier would otherwise tie its launches together (see pickByKeys).
    pkce: f.pkceChallenge && kind !== 'refresh' ? f.pkceChallenge : undefined,
  };
  c.derived = fresh;
  return fresh;
}

/**
 * The strong keys of a step, each by its kind: values of different kinds never match, so each kind
 * has its own index (no `kind:value` strings to build and hash per exchange).
 */
interface StrongKeys {
  /** Request id (live and HAR ids are separate spaces). */
  req: string | undefined;
  har: boolean;
  launch: string | undefined;
  /** A keyed fingerprint of the full code, taken at capture: unlike a masked code it cannot collide. */
  code: string | undefined;
  state: string | undefined;
  pkce: string | undefined;
}

/** The launch each strong key was last seen in, per kind of key. */
class StrongIndex {
  readonly live = new Map<string, Draft>();
  readonly har = new Map<string, Draft>();
  readonly launch = new Map<string, Draft>();
  readonly code = new Map<string, Draft>();
  readonly state = new Map<string, Draft>();
  readonly pkce = new Map<string, Draft>();

  add(k: StrongKeys, d: Draft): void {
    if (k.req !== undefined) (k.har ? this.har : this.live).set(k.req, d);
    if (k.launch !== undefined) this.launch.set(k.launch, d);
    if (k.code !== undefined) this.code.set(k.code, d);
    if (k.state !== undefined) this.state.set(k.state, d);
    if (k.pkce !== undefined) this.pkce.set(k.pkce, d);
  }
}

/**
 * Kept for the module's lifetime. A hidden class lives only while some object has it; when every
 * instance of one analysis is garbage it goes, and V8 throws away the optimized code that assumed it
 * (a "weak objects" deopt), so the next analysis would run unoptimized code and optimize again.
 */
export const pinnedIndex = new StrongIndex();

/** Within the window of weak evidence: keys are unique within a launch, not forever. */
function recent(d: Draft | undefined, at: number): Draft | undefined {
  return d && at - d.lastAt <= AUTH_WINDOW_MS ? d : undefined;
}

function pickByKeys(kind: StepKind, strong: StrongKeys, keys: StrongIndex, drafts: Draft[], ex: Exchange) {
  // In order: request id (at any distance), `launch`, code, `state`, then a code_challenge, which finds
  // the launch of a token request only; a value seen long ago (a reused `state`, a replayed fixture)
  // does not glue a new launch to an old one. An authorize request's challenge is new evidence, and an
  // app that reuses its verifier must not glue its launches together.
  const at = ex.startedAt;
  let found: Draft | undefined =
    (strong.req !== undefined ? (strong.har ? keys.har : keys.live).get(strong.req) : undefined) ??
    (strong.launch !== undefined ? recent(keys.launch.get(strong.launch), at) : undefined) ??
    (strong.code !== undefined ? recent(keys.code.get(strong.code), at) : undefined) ??
    (strong.state !== undefined ? recent(keys.state.get(strong.state), at) : undefined);
  if (!found && kind === 'token' && strong.pkce !== undefined) found = recent(keys.pkce.get(strong.pkce), at);
  // A fresh authorize in a tab that has just started a new launch belongs to that launch even when the
  // app reuses a constant `state` (which would otherwise glue it to an older launch).
  if (found && kind === 'authorize' && strong.launch === undefined && strong.req === undefined) {
    let fresh: Draft | undefined;
    for (let i = drafts.length - 1, end = firstCandidate(drafts); i >= end; i--) {
      const d = drafts[i]!;
      if (at - d.lastAt > AUTH_WINDOW_MS) continue;
      if (d.tabs.has(ex.tabId) && !d.authorizeLike) {
        fresh = d;
        break;
      }
    }
    if (fresh && fresh.startedAt > found.startedAt) return fresh;
  }
  return found;
}

/**
 * Weak matches look at the LOOKBACK most recent launches only, newest first, skipping those idle for
 * longer than the kind's window; this is the oldest index they reach.
 */
function firstCandidate(drafts: Draft[]): number {
  return Math.max(0, drafts.length - LOOKBACK);
}

/**
 * The launch a step joins on weak evidence. Each kind has an ordered list of tests (same tab before
 * same app, …): the result is the newest candidate passing the first test that any candidate passes.
 * One pass over the candidates finds the newest match of every test at once.
 */
function weakMatch(
  step: Step,
  c: Classified,
  f: StepFacts,
  drafts: Draft[],
  context: FlowContext,
): Draft | undefined {
  const ex = step.exchange;
  const at = ex.startedAt;
  const tab = ex.tabId;
  const initiator = ex.initiator;
  const host = c.host;
  const end = firstCandidate(drafts);
  switch (step.kind) {
    case 'discovery':
    case 'metadata': {
      // Prefer the same tab: two launches of one app against one server may run side by side.
      const base = normBase(step.kind === 'discovery' ? f.iss : c.base.replace(/\/metadata\/?$/, ''));
      let second: Draft | undefined;
      let third: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        const sameTab = d.tabs.has(tab);
        // A launch past its callback does not take the discovery of the tab's next launch (its
        // authorize request follows); an app reading discovery again after its token still joins.
        if (d.hasCallback && sameTab && authorizeBetween(context, tab, at, at + AUTH_WINDOW_MS)) continue;
        if (d.issBase === base) {
          if (sameTab) return d;
          if (!second && fromApp(d, tab, initiator)) second = d;
        }
        if (!third && !d.facts.iss && sameTab && !d.authorizeLike) third = d;
      }
      return second ?? third;
    }
    case 'authorize':
    case 'loading-page': {
      let second: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.authorizeLike || d.hasCallback) continue;
        if (d.tabs.has(tab)) return d;
        if (!second && fromApp(d, tab, initiator)) second = d;
      }
      return second;
    }
    case 'session-api':
    case 'idp-login':
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.tabs.has(tab) && d.authorizeLike && !d.hasCallback && !d.hasErrorPage) return d;
      }
      return undefined;
    case 'error-page':
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if ((f.clientId ? d.facts.clientId === f.clientId : d.tabs.has(tab)) && !d.hasCallback) return d;
      }
      return undefined;
    case 'callback': {
      const base = c.base;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.redirectBase === base && !d.hasCallback) return d;
      }
      return undefined;
    }
    case 'token': {
      let second: Draft | undefined;
      let open: Draft | undefined;
      let third: Draft | undefined;
      let fourth: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        const sameClient = !!f.clientId && d.facts.clientId === f.clientId;
        if (d.hasCallback) {
          if (sameClient) {
            if (d.tabs.has(tab)) return d;
            second ??= d;
          }
          if (!third && fromApp(d, tab, initiator)) third = d;
          // Seen by DevTools only (no initiator, maybe no form): the tab's launch still waiting for its
          // token, at the token endpoint its discovery named.
          if (!open && d.tabs.has(tab) && !d.hasToken && (d.tokenEndpoint ?? c.base) === c.base) open = d;
        }
        // The callback may not have been recorded: fall back to the launch that authorized this client.
        if (!fourth && sameClient && d.authorizeLike && !d.hasToken) fourth = d;
      }
      return second ?? open ?? third ?? fourth;
    }
    case 'refresh':
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > SESSION_WINDOW_MS) continue;
        if (d.hasToken && (!f.clientId || d.facts.clientId === f.clientId)) return d;
      }
      return undefined;
    case 'fhir': {
      let second: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > SESSION_WINDOW_MS) continue;
        if (!d.facts.iss || !ex.url.startsWith(d.issBase)) continue;
        if (d.tabs.has(tab)) return d;
        if (!second && fromApp(d, tab, initiator)) second = d;
      }
      return second;
    }
    case 'jwks':
      if (!host) return undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.authHost === host) return d;
      }
      return undefined;
    case 'other':
      if (!host) return undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > 2 * 60_000) continue;
        if (d.tabs.has(tab) && d.authHost === host && !d.hasCallback) return d;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The draft was started from the step's tab or by the app that sent it. */
function fromApp(d: Draft, tab: number, initiator: string | undefined): boolean {
  return d.tabs.has(tab) || (!!initiator && d.appOrigins.has(initiator));
}

/** FHIR bases compare without trailing slashes. */
export function normBase(url: string | undefined): string {
  return (url ?? '').replace(/\/+$/, '');
}

function startsLaunch(kind: StepKind): boolean {
  return !['fhir', 'metadata', 'jwks', 'refresh', 'idp-login', 'other'].includes(kind);
}

function addStep(d: Draft, step: Step, f: StepFacts, redirectOrigin: string) {
  const ex = step.exchange;
  d.steps.push(step);
  if (AUTHORIZE_LIKE.has(step.kind)) d.authorizeLike = true;
  else if (step.kind === 'callback') d.hasCallback = true;
  else if (step.kind === 'error-page') d.hasErrorPage = true;
  else if (step.kind === 'token') d.hasToken = true;
  if (ex.tabId >= 0) d.tabs.add(ex.tabId);
  if (f.appOrigin) d.appOrigins.add(f.appOrigin);
  if (redirectOrigin) d.appOrigins.add(redirectOrigin);
  d.lastAt = Math.max(d.lastAt, ex.completedAt ?? ex.startedAt);
  if (AUTHORIZE_LIKE.has(step.kind) && step.decoded) d.authHost ??= step.decoded.host;
  if (step.kind === 'discovery' && d.tokenEndpoint === undefined) {
    const token = smartConfigOf(ex.body)?.token_endpoint;
    if (token) d.tokenEndpoint = splitUrl(token).base;
  }
  // The first value seen wins: later hops repeat it, and a differing later value is itself evidence.
  // (`codeFingerprint`, `pkceChallenge` and `appOrigin` are per step, not per launch.)
  const facts = d.facts;
  if (facts.launchParam === undefined && f.launchParam !== undefined) facts.launchParam = f.launchParam;
  if (facts.state === undefined && f.state !== undefined) facts.state = f.state;
  if (facts.clientId === undefined && f.clientId !== undefined) facts.clientId = f.clientId;
  if (facts.redirectUri === undefined && f.redirectUri !== undefined) {
    facts.redirectUri = f.redirectUri;
    if (f.redirectUri) d.redirectBase = splitUrl(f.redirectUri).base;
  }
  if (facts.iss === undefined && f.iss !== undefined) {
    facts.iss = f.iss;
    d.issBase = normBase(f.iss);
  }
  if (facts.persona === undefined && f.persona !== undefined) facts.persona = f.persona;
  if (facts.tenant === undefined && f.tenant !== undefined) facts.tenant = f.tenant;
}

function isDuplicate(a: Step, b: Step): boolean {
  const x = a.exchange;
  const y = b.exchange;
  // Cheapest tests first: most pairs are in other tabs or further apart.
  return (
    x.tabId === y.tabId &&
    Math.abs(x.startedAt - y.startedAt) <= DUPLICATE_MS &&
    x.source !== y.source &&
    (x.source === 'webNavigation' || y.source === 'webNavigation') &&
    x.url === y.url
  );
}

/** Drop webNavigation records that duplicate a richer webRequest record of the same navigation. */
function dedupe(steps: Step[]): Step[] {
  let kept: Step[] | undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    let duplicate = false;
    if (s.exchange.source === 'webNavigation') {
      for (let j = 0; j < steps.length && !duplicate; j++) duplicate = j !== i && isDuplicate(s, steps[j]!);
    }
    if (duplicate) kept ??= steps.slice(0, i);
    else kept?.push(s);
  }
  return kept ?? steps;
}

export function isStepFailed(step: Step): boolean {
  const ex = step.exchange;
  if (step.kind === 'error-page') return true;
  if (ex.error || ex.phase === 'failed') return true;
  if (ex.status !== undefined && ex.status >= 400) return true;
  return step.kind === 'callback' && hasParam(step.decoded, 'error');
}

function toLaunch(d: Draft): Launch {
  const steps = dedupe(d.steps);
  const first = steps[0]!.exchange;
  let endedAt = first.startedAt;
  let tokenOk = false;
  let firstFailure: Step | undefined;
  for (const s of steps) {
    const ex = s.exchange;
    s.offsetMs = ex.startedAt - first.startedAt;
    // durationMs was set when the step was made (toStep).
    s.failed = isStepFailed(s);
    endedAt = Math.max(endedAt, ex.completedAt ?? ex.startedAt);
    if (s.kind === 'token' && !s.failed && ex.status !== undefined && ex.status < 300) tokenOk = true;
    if (!firstFailure && s.failed && FLOW_KINDS.has(s.kind)) firstFailure = s;
  }
  let status: LaunchStatus = 'in-progress';
  if (tokenOk) status = 'succeeded';
  else if (firstFailure) status = 'failed';
  const f = d.facts;
  const id = `launch:${first.id}`;
  // Every key from the start, absent ones undefined (JSON leaves them out): a launch has one of two
  // shapes whatever facts and status it gets, instead of one per combination, so the code reading
  // launches (the rules) stays monomorphic. failedAt comes before the facts when correlation found the
  // failure and after them when the status does (utils/launch/status.ts), as JSON has always shown it.
  const launch: Launch =
    status === 'failed' && firstFailure
      ? {
          id,
          status,
          startedAt: first.startedAt,
          endedAt,
          steps,
          findings: [],
          failedAt: firstFailure.exchange.id,
          iss: f.iss || undefined,
          clientId: f.clientId || undefined,
          persona: f.persona || undefined,
          tenant: f.tenant || undefined,
          redirectUri: f.redirectUri || undefined,
          launchParam: f.launchParam || undefined,
          state: f.state || undefined,
          authHost: d.authHost || undefined,
          statusReason: undefined,
        }
      : {
          id,
          status,
          startedAt: first.startedAt,
          endedAt,
          steps,
          findings: [],
          iss: f.iss || undefined,
          clientId: f.clientId || undefined,
          persona: f.persona || undefined,
          tenant: f.tenant || undefined,
          redirectUri: f.redirectUri || undefined,
          launchParam: f.launchParam || undefined,
          state: f.state || undefined,
          authHost: d.authHost || undefined,
          failedAt: undefined,
          statusReason: undefined,
        };
  return launch;
}
