import { isOracleHost, isOracleUrl } from '../capture/relevance';
import type { Exchange, Launch, LaunchStatus, Step, StepKind } from '../model';
import { smartConfigOf } from '../smart/smart-config';
import { getParam, hasParam, lazyDecodeUrl } from '../url';
import { formValue } from '../url/query';
import { originOf, splitUrl } from '../url/split';
import {
  type Classification,
  type Classified,
  classification,
  isOidcConfig,
  isOidcConfigPath,
  NEEDS_PARAMS as NEEDS_DECODED,
} from './classify';
import { authorizeParams, type StepFacts, stepFacts } from './facts';
import {
  AUTHORIZE_LIKE,
  authorizeBetween,
  type FlowContext,
  flowContext,
  handsCodeOver,
  refine,
} from './refine';

/** Weak matches (same tab, same client…) only reach back this far. */
export const AUTH_WINDOW_MS = 10 * 60_000;
/**
 * A code links its token request to its launch for this long: a token request sent long after the
 * callback (an app paused in a debugger, a retry) is the launch's own failed exchange (code expired),
 * not a launch of its own. A code fingerprint is unique to one code, so the wider window glues nothing
 * else together.
 */
export const CODE_WINDOW_MS = 30 * 60_000;
/**
 * A launch still signing in (no callback, error page or token yet) takes its own steps this long after
 * its last one: a user may sit on the identity provider's page (an MFA code, a forgotten password) or
 * read a consent page for many minutes, or open the app's launch page long after the EHR issued it.
 * Its own `launch` and `state`, and the sign-in hops of its tab, still join it then.
 */
export const SIGN_IN_WINDOW_MS = 60 * 60_000;
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

/**
 * The first failed step of the authorization flow that the launch did not go on past (status.ts,
 * toLaunch). A failed discovery is passed when the app went on without it (wentOnPastDiscovery()).
 */
export function flowFailure(steps: readonly Step[]): Step | undefined {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (!s.failed || !FLOW_KINDS.has(s.kind)) continue;
    if (s.kind === 'discovery' && wentOnPastDiscovery(steps, i)) continue;
    return s;
  }
  return undefined;
}

/**
 * The launch went on past its discovery step `i`: a later discovery or CapabilityStatement read
 * succeeded (fhirclient reads /metadata when `.well-known/smart-configuration` answers 404, as SMART
 * App Launch 1.0 servers may), or the flow reached authorize, the callback or the token request. An
 * OpenID configuration read after the callback is no part of the flow (the app validating its id_token).
 */
export function wentOnPastDiscovery(steps: readonly Step[], i: number): boolean {
  const step = steps[i]!;
  if (isOidcConfig(step)) {
    for (let j = 0; j < i; j++) if (steps[j]!.kind === 'callback') return true;
  }
  for (let j = i + 1; j < steps.length; j++) {
    const s = steps[j]!;
    if (askedForAuthorization(s.kind)) return true;
    if ((s.kind === 'metadata' || s.kind === 'discovery') && !s.failed && isOk(s.exchange.status))
      return true;
  }
  return false;
}

/** A step that shows the app asked for authorization: the request, its callback, or the token request. */
export function askedForAuthorization(kind: StepKind): boolean {
  return AUTHORIZE_LIKE.has(kind) || kind === 'callback' || kind === 'token';
}

/** A 2xx answer. */
export function isOk(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

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
  /** Obtained a token whose value the capture does not show (its response body was not recorded). */
  unseenToken: boolean;
  /** Base of the `token_endpoint` of the launch's discovery document, when one was seen. */
  tokenEndpoint: string | undefined;
  /** Position in the run's list (the strong-key index refers to drafts by it, so it copies as is). */
  index: number;
  /**
   * Set anew by every addStep() (a number no other state of any draft had), and put back with the rest
   * by Undo: a draft with the stamp it had when its launch was made makes the same launch (launchOf()).
   */
  stamp: number;
}

/**
 * Strict order so the result does not depend on the order exchanges were given in. At the same time,
 * the hops of one redirect chain go in their order, and other exchanges by id: a HAR import numbers its
 * entries in the file's order (utils/har/import.ts), which is all there is to go by when a tool saved
 * its times in whole seconds.
 */
export function byTime(a: Exchange, b: Exchange): number {
  return (
    a.startedAt - b.startedAt ||
    (a.requestId === b.requestId ? a.hop - b.hop : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * `exchanges` in byTime order, in a new array. Exchanges come in many shapes (optional fields set in
 * different orders), so each property read of byTime is a slow, shape-generic one: the start times are
 * read once into an array, sorted by index, and byTime decides only ties; an input already in order is
 * only checked. The recorder analyzes its whole capture after every change: at 5,000 exchanges this took
 * the median analysis after a change from 1.31 to 1.17–1.21 ms (docs/benchmarks.md).
 */
export function sortedByTime(exchanges: readonly Exchange[]): Exchange[] {
  const n = exchanges.length;
  const at = new Float64Array(n);
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const t = exchanges[i]!.startedAt;
    at[i] = t;
    if (
      ordered &&
      i > 0 &&
      !(at[i - 1]! < t || (at[i - 1] === t && byTime(exchanges[i - 1]!, exchanges[i]!) <= 0))
    ) {
      ordered = false;
    }
  }
  if (ordered) return exchanges.slice();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => at[i]! - at[j]! || byTime(exchanges[i]!, exchanges[j]!));
  const out = new Array<Exchange>(n);
  for (let i = 0; i < n; i++) out[i] = exchanges[order[i]!]!;
  return out;
}

/**
 * Group exchanges into launches. Each step is first classified in the context of what the launches
 * declared (refine.ts). Strong keys (request id, `launch`, code fingerprint, `state`, and a PKCE
 * challenge for token requests) link steps wherever they occur; weaker evidence (same tab, same
 * client, same FHIR base, the discovery's token endpoint, time) is used per step kind and only reaches
 * back a bounded window. Exchanges that belong to no SMART launch are left out.
 *
 * Incremental. The recorder correlates the same growing capture again after every change, and changes
 * happen at its recent end. A run keeps its state as it stood before the recent exchanges (a
 * checkpoint); the recent ones are correlated on top with an undo log, and undone once the launches are
 * made. A later run whose exchanges begin with the same ones as the checkpoint (same objects at the
 * same revisions, the same kinds in context, the same answers to the context's look-ahead) goes on from
 * there; anything else starts from nothing. Either way the result is the same
 * (tests/unit/correlate-incremental.test.ts). A launch the run did not change is the object handed
 * out before (launchOf()): callers must not change the launches, only read them.
 */
export function correlate(exchanges: readonly Exchange[]): Launch[] {
  const sorted = sortedByTime(exchanges);
  const classes = sorted.map(classification);
  const context = flowContext(sorted, classes);
  const cp = resumable(sorted, classes, context) ?? newCheckpoint();
  const start = cp.classes.length;
  correlationRuns[start ? 'resumed' : 'full']++;
  correlationRuns.correlated += sorted.length - start;
  const mark = Math.max(start, checkpointIndex(sorted));
  let undo: Undo | undefined;
  const ahead = (tab: number, at: number): boolean => {
    const answer = authorizeAhead(context, tab, at);
    // Answers given to exchanges before the checkpoint must hold for it to be resumed.
    if (!undo) cp.asked.push({ tab, at, answer });
    return answer;
  };

  try {
    for (let i = start; i < sorted.length; i++) {
      if (i === mark) undo = new Undo(cp.drafts.length);
      const ex = sorted[i]!;
      const c = classes[i]!;
      const [kind, label] = refine(ex, c, context, i);
      if (!undo) {
        cp.classes.push(c);
        cp.kinds.push(kind);
        cp.labels.push(label);
      }
      const step = toStep(ex, c, kind, label);
      const derived = derive(ex, c, step);
      const { facts, redirectOrigin } = derived;
      const drafts = cp.drafts;
      let draft = pickByKeys(step.kind, derived, cp.keys, drafts, ex);
      draft ??= redirectNamed(step, cp.keys, drafts) ?? weakMatch(step, c, facts, drafts, ahead);
      if (!draft && startsLaunch(step, c) && !(step.kind === 'fhir' && appHasToken(drafts, ex))) {
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
          unseenToken: false,
          // Every field from the start: drafts keep one shape however they fill in.
          authHost: undefined,
          redirectBase: undefined,
          tokenEndpoint: undefined,
          index: drafts.length,
          stamp: 0,
        };
        drafts.push(draft);
      }
      if (!draft) continue;
      // Steps that join a launch carry their decoded URL (decoded once per exchange, see classify()).
      step.decoded ??= c.decoded;
      undo?.touch(draft);
      addStep(draft, step, facts, redirectOrigin);
      cp.keys.add(derived, draft, undo);
    }
    const launches: Launch[] = [];
    for (const d of cp.drafts) {
      const launch = launchOf(d);
      if (launch) launches.push(launch);
    }
    undo?.revert(cp);
    remember(cp);
    return launches;
  } catch (error) {
    // Half-way through an exchange the state is neither before nor after it: never go on from it.
    forget(cp);
    throw error;
  }
}

/**
 * How many runs went on from a checkpoint and how many started from nothing, and how many exchanges
 * were correlated in all (the others came with a checkpoint): for tests and benchmarks.
 */
export const correlationRuns = { resumed: 0, full: 0, correlated: 0 };

/** The context's one look-ahead: does an authorize request start in `tab` within the window after `at`? */
function authorizeAhead(context: FlowContext, tab: number, at: number): boolean {
  return authorizeBetween(context, tab, at, at + AUTH_WINDOW_MS);
}

/** A look-ahead question an exchange before the checkpoint asked (authorizeBetween), and its answer. */
interface Asked {
  tab: number;
  at: number;
  answer: boolean;
}

/** The state of correlation after the exchanges `classes` (in order), and what it depended on. */
interface Checkpoint {
  /** Their classification entries: one object per exchange and revision. */
  classes: Classification[];
  /** Their kinds and labels in context. */
  kinds: StepKind[];
  labels: string[];
  asked: Asked[];
  drafts: Draft[];
  keys: StrongIndex;
}

function newCheckpoint(): Checkpoint {
  return { classes: [], kinds: [], labels: [], asked: [], drafts: [], keys: new StrongIndex() };
}

/**
 * What the recent exchanges of a run changed in the checkpoint's state, to put it back: drafts as they
 * were before their first change, the drafts added, the strong keys overwritten.
 */
class Undo {
  private readonly saved = new Map<Draft, Draft>();
  private readonly keys: [Map<string, number>, string, number | undefined][] = [];

  constructor(private readonly draftCount: number) {}

  touch(d: Draft): void {
    if (d.index < this.draftCount && !this.saved.has(d)) this.saved.set(d, copyDraft(d));
  }

  key(map: Map<string, number>, key: string): void {
    this.keys.push([map, key, map.get(key)]);
  }

  revert(cp: Checkpoint): void {
    cp.drafts.length = this.draftCount;
    for (const [d, was] of this.saved) Object.assign(d, was);
    // Newest first, so a key set twice gets its first value back.
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const [map, key, value] = this.keys[i]!;
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    }
  }
}

/**
 * Exchanges this recent (ms before the newest) may still change, or be joined by one that started
 * earlier but was recorded later (events from several tabs reach the recorder in batches). Every
 * exchange after the checkpoint is correlated again on every run: at the soak's pace (120 exchanges a
 * second) 500 ms is about 50 of them; 2 s was four times the work and no fewer runs from nothing.
 */
const SETTLING_MS = 500;
/** An exchange still running holds the checkpoint back no further than this. */
const RUNNING_MS = 60_000;

/**
 * Where the checkpoint goes: before the first exchange that may still change (one running, of the
 * last minute) or that has recent company. Later runs go on from there while nothing before it changed.
 */
function checkpointIndex(sorted: readonly Exchange[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const newest = sorted[n - 1]!.startedAt;
  let mark = n;
  for (let i = n - 1; i >= 0; i--) {
    const ex = sorted[i]!;
    if (ex.startedAt < newest - RUNNING_MS) break;
    if (ex.startedAt >= newest - SETTLING_MS || ex.phase === 'pending') mark = i;
  }
  return mark;
}

/**
 * The checkpoints of the last few captures (the recorder's live capture, an imported file, a test's
 * capture…), most recently used last. They hold their exchanges; the recorder holds its own anyway.
 */
const checkpoints: Checkpoint[] = [];
const CHECKPOINTS = 4;

function forget(cp: Checkpoint): void {
  const at = checkpoints.indexOf(cp);
  if (at !== -1) checkpoints.splice(at, 1);
}

function remember(cp: Checkpoint): void {
  forget(cp);
  if (cp.classes.length === 0) return;
  checkpoints.push(cp);
  if (checkpoints.length > CHECKPOINTS) checkpoints.shift();
}

/**
 * A checkpoint this run can go on from, or undefined. Exchanges are correlated in order, and each
 * one's fate depends only on the state before it, its own classification, its kind in context and the
 * look-ahead answers: when all of those are the same for every exchange before the checkpoint, so is
 * the state. A checkpoint that does not hold for this capture is dropped.
 */
function resumable(
  sorted: readonly Exchange[],
  classes: readonly Classification[],
  context: FlowContext,
): Checkpoint | undefined {
  if (classes.length === 0) return undefined;
  for (let k = checkpoints.length - 1; k >= 0; k--) {
    const cp = checkpoints[k]!;
    const n = cp.classes.length;
    if (n > classes.length || cp.classes[0] !== classes[0]) continue;
    let same = cp.classes[n - 1] === classes[n - 1];
    for (let i = 0; i < n && same; i++) {
      if (cp.classes[i] !== classes[i]) same = false;
      else {
        const [kind, label] = refine(sorted[i]!, classes[i]!, context, i);
        if (kind !== cp.kinds[i] || label !== cp.labels[i]) same = false;
      }
    }
    for (const q of cp.asked) {
      if (!same) break;
      if (authorizeAhead(context, q.tab, q.at) !== q.answer) same = false;
    }
    if (same) return cp;
    checkpoints.splice(k, 1);
  }
  return undefined;
}

/** A draft's values as they are now, to put back (Undo): its lists and sets are copied, as addStep changes them. */
function copyDraft(d: Draft): Draft {
  return {
    ...d,
    steps: d.steps.slice(),
    facts: { ...d.facts },
    tabs: new Set(d.tabs),
    appOrigins: new Set(d.appOrigins),
  };
}

/**
 * A step; kinds whose parameters correlation reads get their decoded URL now, the others once they
 * join a launch (exchanges that belong to no launch are never decoded). Every step has the same
 * properties in the same order, whatever its kind.
 */
function toStep(ex: Exchange, c: Classified, kind: StepKind, label: string): Step {
  const decoded = NEEDS_DECODED.has(kind) ? c.decoded : undefined;
  if (ex.completedAt === undefined || ex.durationUnknown) {
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
    token: f.tokenFingerprint,
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
  /** Access token fingerprint: issued by a token response, sent by a FHIR call (HAR imports). */
  token: string | undefined;
}

/** The launch (its index among the drafts) each strong key was last seen in, per kind of key. */
class StrongIndex {
  readonly live = new Map<string, number>();
  readonly har = new Map<string, number>();
  readonly launch = new Map<string, number>();
  readonly code = new Map<string, number>();
  readonly state = new Map<string, number>();
  readonly pkce = new Map<string, number>();
  readonly token = new Map<string, number>();

  add(k: StrongKeys, d: Draft, undo: Undo | undefined): void {
    const i = d.index;
    if (k.req !== undefined) set(k.har ? this.har : this.live, k.req, i, undo);
    if (k.launch !== undefined) set(this.launch, k.launch, i, undo);
    if (k.code !== undefined) set(this.code, k.code, i, undo);
    if (k.state !== undefined) set(this.state, k.state, i, undo);
    if (k.pkce !== undefined) set(this.pkce, k.pkce, i, undo);
    if (k.token !== undefined) set(this.token, k.token, i, undo);
  }
}

function set(map: Map<string, number>, key: string, value: number, undo: Undo | undefined): void {
  undo?.key(map, key);
  map.set(key, value);
}

/**
 * Kept for the module's lifetime. A hidden class lives only while some object has it; when every
 * instance of one analysis is garbage it goes, and V8 throws away the optimized code that assumed it
 * (a "weak objects" deopt), so the next analysis would run unoptimized code and optimize again.
 */
export const pinnedIndex = new StrongIndex();

/** Within the window of weak evidence: keys are unique within a launch, not forever. */
function recent(d: Draft | undefined, at: number, window = AUTH_WINDOW_MS): Draft | undefined {
  return d && at - d.lastAt <= window ? d : undefined;
}

/** Still signing in: no callback, error page or token yet, and its last step did not fail. */
function signingIn(d: Draft): boolean {
  return !d.hasCallback && !d.hasErrorPage && !d.hasToken && !d.steps[d.steps.length - 1]?.failed;
}

/** How far back a launch's own `launch` or `state` reaches it: longer while it is still signing in. */
function keyWindow(d: Draft | undefined): number {
  return d && signingIn(d) ? SIGN_IN_WINDOW_MS : AUTH_WINDOW_MS;
}

/** recent(), with the window keyWindow() gives the draft. */
function recentByKey(d: Draft | undefined, at: number): Draft | undefined {
  return recent(d, at, keyWindow(d));
}

function draftAt(drafts: Draft[], i: number | undefined): Draft | undefined {
  return i === undefined ? undefined : drafts[i];
}

function pickByKeys(kind: StepKind, strong: Derived, keys: StrongIndex, drafts: Draft[], ex: Exchange) {
  // In order: request id (at any distance), `launch`, code, `state`, then a code_challenge, which finds
  // the launch of a token request only; a value seen long ago (a reused `state`, a replayed fixture)
  // does not glue a new launch to an old one. An authorize request's challenge is new evidence, and an
  // app that reuses its verifier must not glue its launches together.
  const at = ex.startedAt;
  const byRequest =
    strong.req !== undefined
      ? draftAt(drafts, (strong.har ? keys.har : keys.live).get(strong.req))
      : undefined;
  const byLaunch =
    byRequest === undefined && strong.launch !== undefined
      ? recentByKey(draftAt(drafts, keys.launch.get(strong.launch)), at)
      : undefined;
  // The app asked for authorization again with the same `launch` (an effect run twice, the launch URL
  // loaded again by the browser's Back): a new `state` is a new authorization, a launch of its own, and
  // so is the launch URL loaded again once the launch had asked for authorization. Its steps are judged
  // by its own authorize request (the PKCE check compares the verifier with that one's challenge).
  if (byLaunch && authorizesAgain(kind, strong, byLaunch, ex)) return undefined;
  let found: Draft | undefined =
    byRequest ??
    byLaunch ??
    (strong.code !== undefined
      ? recent(draftAt(drafts, keys.code.get(strong.code)), at, CODE_WINDOW_MS)
      : undefined) ??
    (strong.state !== undefined ? recentByKey(draftAt(drafts, keys.state.get(strong.state)), at) : undefined);
  // A redirect chain is only as good as its first hop, which may have joined a launch on weak evidence
  // (an IdP's login POST in a recording of several tabs): a hop that names its own EHR launch goes
  // with that launch.
  if (found && strong.req !== undefined && strong.launch !== undefined) {
    const named = recentByKey(draftAt(drafts, keys.launch.get(strong.launch)), at);
    if (named) found = named;
  }
  if (!found && kind === 'token' && strong.pkce !== undefined) {
    found = recent(draftAt(drafts, keys.pkce.get(strong.pkce)), at);
  }
  // A FHIR call goes with the launch whose token it sent, at any distance: a token belongs to one
  // launch, and a call with it the next morning is that launch's (an app that kept an expired token).
  if (!found && kind === 'fhir' && strong.token !== undefined) {
    found = draftAt(drafts, keys.token.get(strong.token));
  }
  // The app's launch URL loaded again after its launch got a code (the browser's Back, a reload): the app
  // authorizes again, a launch of its own, though the URL carries the same `launch`.
  if (found && !byRequest && kind === 'ehr-launch' && found.hasCallback) return undefined;
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
 * A step that found its launch by the `launch` value only, and starts another authorization of that app:
 * the app's launch URL loaded again, or an authorize request of the same client with another `state`
 * (and another PKCE challenge, when both have one), after the launch asked for authorization.
 */
function authorizesAgain(kind: StepKind, strong: Derived, d: Draft, ex: Exchange): boolean {
  if (!d.authorizeLike || d.hasCallback) return false;
  if (kind !== 'ehr-launch' && kind !== 'authorize' && kind !== 'loading-page') return false;
  const asked = d.steps.find((s) => s.kind === 'authorize' || s.kind === 'loading-page');
  // Strictly later: entries of one instant (a file without milliseconds) come in no sure order.
  if (!asked || ex.startedAt <= asked.exchange.startedAt) return false;
  if (kind === 'ehr-launch') return true;
  const { state, clientId } = d.facts;
  if (strong.state === undefined || state === undefined || strong.state === state) return false;
  if (strong.facts.clientId === undefined || strong.facts.clientId !== clientId) return false;
  // The server's redirect back to the authorization request after sign-in is no new request of the app,
  // even with the state altered (a server that cuts it).
  if (d.steps.some((s) => s.exchange.location !== undefined && ex.url.endsWith(s.exchange.location)))
    return false;
  const challenge = asked.decoded ? getParam(asked.decoded, 'code_challenge') : undefined;
  return strong.pkce === undefined || challenge === undefined || strong.pkce !== challenge;
}

/**
 * A sign-in step (the identity provider's login POST) redirected back to the authorization request:
 * the `state` (or `launch`) in its Location names the launch it belongs to, which matters when several
 * launches sign in side by side in a file without tabs (a proxy's HAR), where the newest would take it.
 */
function redirectNamed(step: Step, keys: StrongIndex, drafts: Draft[]): Draft | undefined {
  const { location, startedAt } = step.exchange;
  if (step.kind !== 'idp-login' || !location || !/[?&](?:state|launch)=/.test(location)) return undefined;
  const target = lazyDecodeUrl(location);
  const state = getParam(target, 'state');
  const byState = state ? recentByKey(draftAt(drafts, keys.state.get(state)), startedAt) : undefined;
  if (byState) return byState;
  const launch = getParam(target, 'launch');
  return launch ? recentByKey(draftAt(drafts, keys.launch.get(launch)), startedAt) : undefined;
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
  /** authorizeAhead(), asked through the run (which records the answers). */
  authorizeAhead: (tab: number, at: number) => boolean,
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
      if (step.kind === 'discovery' && isOidcConfigPath(c.path)) {
        return oidcMatch(drafts, end, at, tab, host, authorizeAhead);
      }
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
        // The same holds for the app's finished launch in another tab (a new launch whose launch URL was
        // not recorded names its FHIR server first here), and for its launch in another tab that already
        // asked for authorization: it failed or is waiting there, and the authorize request that follows
        // here starts another one.
        const past = d.hasCallback || (!sameTab && d.authorizeLike);
        if (past && (sameTab || fromApp(d, tab, initiator)) && authorizeAhead(tab, at)) continue;
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
    case 'idp-login': {
      // The sign-in of an authorization server that was not watched, with its identity provider's leg
      // recorded (a navigation): the tab's launch that has not authorized yet, as far as was seen.
      let unseen: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > keyWindow(d)) continue;
        if (!d.tabs.has(tab) || d.hasCallback || d.hasErrorPage) continue;
        if (d.authorizeLike) return d;
        if (!unseen && step.kind === 'idp-login' && at - d.lastAt <= AUTH_WINDOW_MS) unseen = d;
      }
      return unseen;
    }
    case 'error-page':
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        // A launch that named no client yet (its authorize request is not in the file: Safari keeps one
        // entry per redirect chain) goes by its tab.
        const same = f.clientId && d.facts.clientId ? d.facts.clientId === f.clientId : d.tabs.has(tab);
        if (same && !d.hasCallback) return d;
      }
      return undefined;
    case 'callback': {
      const base = c.base;
      let second: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.redirectBase === base && !d.hasCallback) return d;
        // No authorize request of the launch in the file (Safari's one entry per redirect chain): the
        // app's launch in this tab, at the callback's origin (its launch URL, or the page that read
        // discovery), that has not authorized yet.
        if (
          !second &&
          d.redirectBase === undefined &&
          !d.hasCallback &&
          !d.authorizeLike &&
          d.tabs.has(tab) &&
          (d.appOrigins.has(c.origin) ||
            d.steps.some((s) => s.kind === 'discovery' && s.exchange.initiator === c.origin))
        )
          second = d;
      }
      return second;
    }
    case 'token': {
      let second: Draft | undefined;
      let open: Draft | undefined;
      let third: Draft | undefined;
      let fourth: Draft | undefined;
      // SMART Backend Services: no authorization, no code; the client read discovery, then asks the
      // token endpoint it named for a token of its own.
      let backend: Draft | undefined;
      // Its body not recorded (its first event lost as the worker stopped): no client, no code to go by;
      // the tab's launch that asked for authorization and has no token yet, at the token endpoint its
      // discovery named (or, that not recorded, on its authorization server), when its callback was not
      // recorded either.
      let unseen: Draft | undefined;
      const clientCredentials = formValue(ex.form, 'grant_type') === 'client_credentials';
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (
          clientCredentials &&
          !backend &&
          d.tabs.has(tab) &&
          !d.authorizeLike &&
          !d.hasCallback &&
          !d.hasToken &&
          d.tokenEndpoint === c.base
        )
          backend = d;
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
        if (
          !unseen &&
          !ex.form &&
          d.authorizeLike &&
          !d.hasCallback &&
          !d.hasToken &&
          d.tabs.has(tab) &&
          // Discovery's body not recorded either (no DevTools): its authorization server's host.
          (d.tokenEndpoint ? d.tokenEndpoint === c.base : d.authHost === host)
        )
          unseen = d;
      }
      return second ?? open ?? third ?? fourth ?? backend ?? unseen;
    }
    case 'refresh': {
      let other: Draft | undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > SESSION_WINDOW_MS || !d.hasToken) continue;
        if (!f.clientId || d.facts.clientId === f.clientId) return d;
        // Another client_id than the launch's (a configuration mistake): the launch of the page that
        // sent it (its Origin), at the token endpoint the launch used, when no launch has that client.
        if (
          !other &&
          initiator &&
          d.appOrigins.has(initiator) &&
          (d.tokenEndpoint === undefined || d.tokenEndpoint === c.base)
        )
          other = d;
      }
      return other;
    }
    case 'fhir': {
      let second: Draft | undefined;
      let unnamed: Draft | undefined;
      let other: Draft | undefined;
      const sentToken = f.tokenFingerprint !== undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > SESSION_WINDOW_MS) continue;
        // A recording that began after the launch's start names no FHIR server, and a token response
        // not recorded says no token: the tab's launch that has just obtained a token unseen takes the
        // tab's FHIR calls that send a token (which no other launch issued, or pickByKeys had found it).
        if (!d.facts.iss) {
          if (!unnamed && sentToken && d.unseenToken && d.tabs.has(tab) && at - d.lastAt <= AUTH_WINDOW_MS)
            unnamed = d;
          continue;
        }
        if (!ex.url.startsWith(d.issBase)) continue;
        // Sent by a page of another origin than this launch's app (its Origin header, the initiator):
        // another app's call, even in the same tab (a proxy's file has no tabs: one for everything).
        if (initiator && d.appOrigins.size && !d.appOrigins.has(initiator)) {
          other ??= d;
          continue;
        }
        if (d.tabs.has(tab)) return d;
        if (!second && fromApp(d, tab, initiator)) second = d;
      }
      return second ?? unnamed ?? other;
    }
    case 'jwks':
      if (!host) return undefined;
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > AUTH_WINDOW_MS) continue;
        if (d.authHost === host) return d;
      }
      return undefined;
    case 'other': {
      if (!host) return undefined;
      // The app handing the callback's code to its own backend, which exchanges it (refine.ts).
      const handoff = handsCodeOver(ex, c.path);
      // The browser's CORS preflight of a token request, whose refusal rules/cors-failure.ts reads.
      const preflight = ex.method === 'OPTIONS';
      for (let i = drafts.length - 1; i >= end; i--) {
        const d = drafts[i]!;
        if (at - d.lastAt > 2 * 60_000) continue;
        if (d.tabs.has(tab) && d.authHost === host && !d.hasCallback) return d;
        if (
          preflight &&
          d.tabs.has(tab) &&
          d.hasCallback &&
          !d.hasToken &&
          (d.tokenEndpoint ? d.tokenEndpoint === c.base : d.authHost === host)
        )
          return d;
        if (
          handoff &&
          d.hasCallback &&
          !d.hasToken &&
          d.appOrigins.has(c.origin) &&
          fromApp(d, tab, initiator)
        )
          return d;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The launch an OpenID configuration read belongs to: the tab's launch at its authorization server's
 * host (or before it has one), else the launch authorized at its host (an app validating its id_token
 * after the callback, the authorization server's own pages).
 * Like discovery, it does not join a tab's finished launch when the tab's next authorize follows.
 * A launch that obtained its token takes its tab's reads for as long as FHIR calls (SESSION_WINDOW_MS):
 * an app validates its id_token again when it reloads.
 */
function oidcMatch(
  drafts: Draft[],
  end: number,
  at: number,
  tab: number,
  host: string,
  authorizeAhead: (tab: number, at: number) => boolean,
): Draft | undefined {
  let second: Draft | undefined;
  for (let i = drafts.length - 1; i >= end; i--) {
    const d = drafts[i]!;
    const idle = at - d.lastAt;
    if (idle > AUTH_WINDOW_MS && !(d.hasToken && idle <= SESSION_WINDOW_MS && d.tabs.has(tab))) continue;
    // Once the launch has its authorization server, another host's configuration is another site's
    // sign-in (a HAR has one tab for all, a page may sign in elsewhere too).
    if (d.tabs.has(tab) && (!d.authHost || !host || d.authHost === host)) {
      if (d.hasCallback && authorizeAhead(tab, at)) continue;
      return d;
    }
    if (!second && host && d.authHost === host) second = d;
  }
  return second;
}

/** The draft was started from the step's tab or by the app that sent it. */
function fromApp(d: Draft, tab: number, initiator: string | undefined): boolean {
  return d.tabs.has(tab) || (!!initiator && d.appOrigins.has(initiator));
}

/** FHIR bases compare without trailing slashes, and with scheme and host in lower case. */
export function normBase(url: string | undefined): string {
  const base = (url ?? '').replace(/\/+$/, '');
  // Scheme and host are case-insensitive (RFC 3986 §6.2.2.1); the browser requests them in lower case.
  if (!/[A-Z]/.test(base)) return base;
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/is.exec(base);
  return m ? `${m[1]!.toLowerCase()}${m[2]}` : base;
}

/**
 * Steps that start a launch when no launch takes them; an OpenID configuration read starts none, like
 * JWKS. A FHIR call refused with 401 does: its launch was not recorded (a HAR saved without "Preserve
 * log", a session older than the log), and a refused token is still worth a diagnosis. Other FHIR calls
 * without a launch stay out of the log.
 */
function startsLaunch(step: Step, c: Classified): boolean {
  const kind = step.kind;
  if (kind === 'discovery') return !isOidcConfigPath(c.path);
  if (kind === 'fhir') return step.exchange.status === 401;
  return !['metadata', 'jwks', 'refresh', 'idp-login', 'other'].includes(kind);
}

/**
 * The app that sent a FHIR request has a launch with its token in the log: a refused call that no
 * launch took (weakMatch: not its FHIR server) went to another server (a terminology service…), and
 * starts no launch of its own. A refused call with no launch of its app recorded still does.
 */
function appHasToken(drafts: Draft[], ex: Exchange): boolean {
  for (let i = drafts.length - 1, end = firstCandidate(drafts); i >= end; i--) {
    const d = drafts[i]!;
    if (ex.startedAt - d.lastAt > SESSION_WINDOW_MS) continue;
    if (d.hasToken && fromApp(d, ex.tabId, ex.initiator)) return true;
  }
  return false;
}

/** The last stamp given to a draft (Draft.stamp). */
let stamps = 0;

function addStep(d: Draft, step: Step, f: StepFacts, redirectOrigin: string) {
  const ex = step.exchange;
  d.stamp = ++stamps;
  // Final from here on (see toLaunch): the offset from the launch's first step, and whether it failed.
  step.offsetMs = ex.startedAt - (d.steps[0]?.exchange ?? ex).startedAt;
  step.failed = isStepFailed(step);
  d.steps.push(step);
  if (AUTHORIZE_LIKE.has(step.kind)) d.authorizeLike = true;
  else if (step.kind === 'callback') d.hasCallback = true;
  else if (step.kind === 'error-page') d.hasErrorPage = true;
  else if (step.kind === 'token') {
    d.hasToken = true;
    if (!ex.secretFacts?.tokenFingerprint && isOk(ex.status)) d.unseenToken = true;
  }
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

/**
 * A draft's step as handed out: the step itself when its offset is right, which is unless dedupe()
 * dropped the launch's first step; otherwise a copy with the offset from the first step kept (same
 * shape as toStep's).
 */
function stepOf(s: Step, firstAt: number): Step {
  const offsetMs = s.exchange.startedAt - firstAt;
  if (s.offsetMs === offsetMs) return s;
  const { exchange, kind, label, failed, decoded } = s;
  if (s.durationMs === undefined) return { exchange, kind, label, offsetMs, failed, decoded };
  return { exchange, kind, label, offsetMs, failed, decoded, durationMs: s.durationMs };
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

/** The launch each draft made last (undefined when it was no SMART launch), and the draft's stamp then. */
const madeLaunches = new WeakMap<Draft, { stamp: number; launch: Launch | undefined }>();

/**
 * The launch a draft makes: the one it made before while it is as it was then (a draft before a
 * run's checkpoint, which the run did not touch), else a new one. A capture that grows at its recent
 * end makes new launches of the drafts it touched only. Callers must not change what they are handed.
 */
function launchOf(d: Draft): Launch | undefined {
  const made = madeLaunches.get(d);
  if (made && made.stamp === d.stamp) return made.launch;
  const launch = looksSmart(d) ? toLaunch(d) : undefined;
  madeLaunches.set(d, { stamp: d.stamp, launch });
  return launch;
}

/**
 * A scope list with a SMART scope in it: `launch`, `launch/…`, `fhirUser`, or a resource scope
 * `patient|user|system/<Type or *>.<permissions>` (an API's own `user/read` is none).
 */
const SMART_SCOPE =
  /(?:^|[\s+])(?:launch(?:\/\w+)?|fhirUser|(?:patient|user|system)\/(?:\*|[A-Z][A-Za-z]*)\.(?:\*|read|write|c?r?u?d?s?)(?:\?\S*)?)(?=$|[\s+])/;
/** Fields only a SMART token response has (besides its scopes). */
const SMART_TOKEN_FIELD = /"(?:patient|encounter|need_patient_banner|smart_style_url|fhirContext)"\s*:/;

/**
 * Whether a draft is a SMART launch, not another site's OAuth or OpenID Connect sign-in (an intranet's
 * single sign-on, an API's client credentials), whose callbacks and token requests look the same on the
 * wire: something in it names a FHIR server, an EHR launch or a SMART scope, or it runs on Oracle's
 * servers, which serve SMART only. A sign-in that shows none of it stays out of the log.
 */
function looksSmart(d: Draft): boolean {
  const f = d.facts;
  if (f.iss || f.launchParam || f.tenant || f.persona) return true;
  for (const s of d.steps) {
    switch (s.kind) {
      case 'ehr-launch':
      case 'standalone-launch':
      case 'session-api':
      case 'error-page':
      case 'fhir':
      case 'metadata':
        return true;
      case 'discovery':
        if (!isOidcConfig(s)) return true;
        break;
      // Another server's authorize answered with its sign-in page is a "Loading page" only in name.
      case 'authorize':
      case 'loading-page':
        if (isOracleHost(s.decoded?.host ?? splitUrl(s.exchange.url).host)) return true;
        if (SMART_SCOPE.test(getParam(authorizeParams(s), 'scope') ?? '')) return true;
        break;
      case 'callback':
        if (isOracleUrl(s.exchange.url)) return true;
        break;
      case 'token':
      case 'refresh': {
        const ex = s.exchange;
        if (isOracleUrl(ex.url)) return true;
        if (SMART_SCOPE.test(formValue(ex.form, 'scope') ?? '')) return true;
        const text = ex.body?.text;
        if (text && (SMART_TOKEN_FIELD.test(text) || SMART_SCOPE.test(tokenScope(text)))) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/** The `scope` of a token response's JSON body, '' when there is none. */
function tokenScope(text: string): string {
  const m = /"scope"\s*:\s*"([^"]*)"/.exec(text);
  return m ? m[1]! : '';
}

/**
 * The launch a draft makes: a new launch object and steps array, with the draft's steps, which are not
 * changed once made (a later run that resumes from a checkpoint hands out the same ones again).
 */
function toLaunch(d: Draft): Launch {
  const kept = dedupe(d.steps);
  const first = kept[0]!.exchange;
  let endedAt = first.startedAt;
  let tokenOk = false;
  let failure = false;
  const steps: Step[] = new Array(kept.length);
  for (let i = 0; i < kept.length; i++) {
    const s = stepOf(kept[i]!, first.startedAt);
    steps[i] = s;
    const ex = s.exchange;
    endedAt = Math.max(endedAt, ex.completedAt ?? ex.startedAt);
    if (s.kind === 'token' && !s.failed && ex.status !== undefined && ex.status < 300) tokenOk = true;
    if (s.failed && FLOW_KINDS.has(s.kind)) failure = true;
  }
  // Most launches have no failed flow step: look for the one that ends the flow only when there is one.
  const firstFailure = failure && !tokenOk ? flowFailure(steps) : undefined;
  let status: LaunchStatus = 'in-progress';
  if (tokenOk) status = 'succeeded';
  else if (firstFailure) status = 'failed';
  const launch: Launch = {
    id: `launch:${first.id}`,
    status,
    startedAt: first.startedAt,
    endedAt,
    steps,
    findings: [],
  };
  if (status === 'failed' && firstFailure) launch.failedAt = firstFailure.exchange.id;
  const f = d.facts;
  if (f.iss) launch.iss = f.iss;
  if (f.clientId) launch.clientId = f.clientId;
  if (f.persona) launch.persona = f.persona;
  if (f.tenant) launch.tenant = f.tenant;
  if (f.redirectUri) launch.redirectUri = f.redirectUri;
  if (f.launchParam) launch.launchParam = f.launchParam;
  if (f.state) launch.state = f.state;
  if (d.authHost) launch.authHost = d.authHost;
  return launch;
}
