import type { DecodedUrl, Exchange, Launch, LaunchStatus, Step, StepKind } from '../model';
import { originOf, splitUrl } from '../url/split';
import { type Classified, classify, NEEDS_PARAMS as NEEDS_DECODED } from './classify';
import { type StepFacts, stepFacts } from './facts';

/** Weak matches (same tab, same client…) only reach back this far. */
export const AUTH_WINDOW_MS = 10 * 60_000;
/** FHIR calls and refreshes belong to the launch that obtained the token for this long. */
export const SESSION_WINDOW_MS = 12 * 60 * 60_000;
/** How many recent launches a weak match looks through (keeps correlation linear). */
const LOOKBACK = 64;
/** A webNavigation record and a webRequest record of the same URL this close together are one step. */
const DUPLICATE_MS = 2000;

/** Kinds whose failure ends the launch; FHIR/JWKS/other failures are diagnosed but do not. */
const FLOW_KINDS = new Set<StepKind>([
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
  kinds: Set<StepKind>;
  tabs: Set<number>;
  appOrigins: Set<string>;
  authHost?: string;
  startedAt: number;
  lastAt: number;
}

/** Strict order so the result does not depend on the order exchanges were given in. */
export function byTime(a: Exchange, b: Exchange): number {
  return a.startedAt - b.startedAt || a.hop - b.hop || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Group exchanges into launches. Strong keys (request id, `launch`, `state`, code) link steps wherever
 * they occur; weaker evidence (same tab, same client, same FHIR base, time) is used per step kind and
 * only reaches back a bounded window. Exchanges that belong to no SMART launch are left out.
 */
export function correlate(exchanges: readonly Exchange[]): Launch[] {
  const sorted = [...exchanges].sort(byTime);
  const drafts: Draft[] = [];
  const keys = new Map<string, Draft>();

  for (const ex of sorted) {
    const c = classify(ex);
    const step = toStep(ex, c);
    const facts = stepFacts(step);
    const strong = strongKeys(ex, step.kind, facts);
    let draft = pickByKeys(step.kind, strong, keys, drafts, ex);
    draft ??= weakMatch(step, c, facts, drafts);
    if (!draft && startsLaunch(step.kind)) {
      draft = {
        steps: [],
        facts: {},
        kinds: new Set(),
        tabs: new Set(),
        appOrigins: new Set(),
        startedAt: ex.startedAt,
        lastAt: ex.startedAt,
      };
      drafts.push(draft);
    }
    if (!draft) continue;
    addStep(draft, step, facts);
    for (const k of strong) keys.set(k, draft);
  }
  return drafts.map(toLaunch);
}

/** Classification behind each lazily decoded step. */
const pending = new WeakMap<Step, Classified>();

/** Shared accessor: decodes on first read, then replaces itself with a plain data property. */
const LAZY_DECODED: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Step): DecodedUrl | undefined {
    const decoded = pending.get(this)?.decoded;
    Object.defineProperty(this, 'decoded', {
      value: decoded,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return decoded;
  },
  set(this: Step, value: DecodedUrl) {
    Object.defineProperty(this, 'decoded', { value, enumerable: true, writable: true, configurable: true });
  },
};

/** A step whose `decoded` is filled on first read (most FHIR calls never need their parameters). */
function toStep(ex: Exchange, c: Classified): Step {
  const step: Step = { exchange: ex, kind: c.kind, label: c.label, offsetMs: 0, failed: false };
  if (NEEDS_DECODED.has(c.kind)) {
    step.decoded = c.decoded;
  } else {
    pending.set(step, c);
    Object.defineProperty(step, 'decoded', LAZY_DECODED);
  }
  return step;
}

function strongKeys(ex: Exchange, kind: StepKind, f: StepFacts): string[] {
  const out: string[] = [];
  if (ex.requestId) out.push(`req:${ex.source === 'har' ? 'har' : 'live'}:${ex.requestId}`);
  if (f.launchParam) out.push(`launch:${f.launchParam}`);
  // Masked codes can collide (same prefix and length), so they only link within one tab.
  if (f.code && (kind === 'callback' || kind === 'token')) out.push(`code:${ex.tabId}:${f.code}`);
  if (f.state) out.push(`state:${f.state}`);
  return out;
}

function pickByKeys(
  kind: StepKind,
  strong: string[],
  keys: Map<string, Draft>,
  drafts: Draft[],
  ex: Exchange,
) {
  let found: Draft | undefined;
  for (const k of strong) {
    const d = keys.get(k);
    // Keys are unique within a launch, not forever: a value seen long ago (a reused `state`, a replayed
    // fixture) does not glue a new launch to an old one.
    if (d && (k.startsWith('req:') || ex.startedAt - d.lastAt <= AUTH_WINDOW_MS)) {
      found = d;
      break;
    }
  }
  // A fresh authorize in a tab that has just started a new launch belongs to that launch even when the
  // app reuses a constant `state` (which would otherwise glue it to an older launch).
  if (found && kind === 'authorize' && !strong.some((k) => k.startsWith('launch:') || k.startsWith('req:'))) {
    const fresh = recent(
      drafts,
      ex.startedAt,
      AUTH_WINDOW_MS,
      (d) => d.tabs.has(ex.tabId) && !hasAny(d, AUTHORIZE_LIKE),
    );
    if (fresh && fresh.startedAt > found.startedAt) return fresh;
  }
  return found;
}

function recent(
  drafts: Draft[],
  at: number,
  windowMs: number,
  pred: (d: Draft) => boolean,
): Draft | undefined {
  for (let i = drafts.length - 1, n = 0; i >= 0 && n < LOOKBACK; i--, n++) {
    const d = drafts[i]!;
    if (at - d.lastAt > windowMs) continue;
    if (pred(d)) return d;
  }
  return undefined;
}

function hasAny(d: Draft, kinds: Set<StepKind>): boolean {
  for (const k of kinds) if (d.kinds.has(k)) return true;
  return false;
}

function weakMatch(step: Step, c: Classified, f: StepFacts, drafts: Draft[]): Draft | undefined {
  const ex = step.exchange;
  const at = ex.startedAt;
  const sameTab = (d: Draft) => d.tabs.has(ex.tabId);
  const fromApp = (d: Draft) => sameTab(d) || (!!ex.initiator && d.appOrigins.has(ex.initiator));
  const host = c.host;
  switch (step.kind) {
    case 'discovery':
    case 'metadata': {
      // Prefer the same tab: two launches of one app against one server may run side by side.
      const base = normBase(step.kind === 'discovery' ? f.iss : c.base.replace(/\/metadata\/?$/, ''));
      return (
        recent(drafts, at, AUTH_WINDOW_MS, (d) => normBase(d.facts.iss) === base && sameTab(d)) ??
        recent(drafts, at, AUTH_WINDOW_MS, (d) => normBase(d.facts.iss) === base && fromApp(d)) ??
        recent(drafts, at, AUTH_WINDOW_MS, (d) => !d.facts.iss && sameTab(d) && !hasAny(d, AUTHORIZE_LIKE))
      );
    }
    case 'authorize':
    case 'loading-page': {
      const waiting = (d: Draft) => !hasAny(d, AUTHORIZE_LIKE) && !d.kinds.has('callback');
      return (
        recent(drafts, at, AUTH_WINDOW_MS, (d) => sameTab(d) && waiting(d)) ??
        recent(drafts, at, AUTH_WINDOW_MS, (d) => fromApp(d) && waiting(d))
      );
    }
    case 'session-api':
    case 'idp-login':
      return recent(
        drafts,
        at,
        AUTH_WINDOW_MS,
        (d) =>
          sameTab(d) && hasAny(d, AUTHORIZE_LIKE) && !d.kinds.has('callback') && !d.kinds.has('error-page'),
      );
    case 'error-page':
      return recent(
        drafts,
        at,
        AUTH_WINDOW_MS,
        (d) => (f.clientId ? d.facts.clientId === f.clientId : sameTab(d)) && !d.kinds.has('callback'),
      );
    case 'callback': {
      const base = splitUrl(ex.url).base;
      return recent(
        drafts,
        at,
        AUTH_WINDOW_MS,
        (d) =>
          !!d.facts.redirectUri && splitUrl(d.facts.redirectUri).base === base && !d.kinds.has('callback'),
      );
    }
    case 'token': {
      const sameClient = (d: Draft) => !!f.clientId && d.facts.clientId === f.clientId;
      return (
        recent(drafts, at, AUTH_WINDOW_MS, (d) => sameClient(d) && sameTab(d) && d.kinds.has('callback')) ??
        recent(drafts, at, AUTH_WINDOW_MS, (d) => sameClient(d) && d.kinds.has('callback')) ??
        recent(drafts, at, AUTH_WINDOW_MS, (d) => fromApp(d) && d.kinds.has('callback')) ??
        // The callback may not have been recorded: fall back to the launch that authorized this client.
        recent(
          drafts,
          at,
          AUTH_WINDOW_MS,
          (d) => sameClient(d) && hasAny(d, AUTHORIZE_LIKE) && !d.kinds.has('token'),
        )
      );
    }
    case 'refresh':
      return recent(
        drafts,
        at,
        SESSION_WINDOW_MS,
        (d) => d.kinds.has('token') && (!f.clientId || d.facts.clientId === f.clientId),
      );
    case 'fhir': {
      const sameServer = (d: Draft) => !!d.facts.iss && ex.url.startsWith(normBase(d.facts.iss));
      return (
        recent(drafts, at, SESSION_WINDOW_MS, (d) => sameServer(d) && sameTab(d)) ??
        recent(drafts, at, SESSION_WINDOW_MS, (d) => sameServer(d) && fromApp(d))
      );
    }
    case 'jwks':
      return recent(drafts, at, AUTH_WINDOW_MS, (d) => !!host && d.authHost === host);
    case 'other':
      return recent(
        drafts,
        at,
        2 * 60_000,
        (d) => sameTab(d) && !!host && d.authHost === host && !d.kinds.has('callback'),
      );
    default:
      return undefined;
  }
}

/** FHIR bases compare without trailing slashes. */
export function normBase(url: string | undefined): string {
  return (url ?? '').replace(/\/+$/, '');
}

function startsLaunch(kind: StepKind): boolean {
  return !['fhir', 'metadata', 'jwks', 'refresh', 'idp-login', 'other'].includes(kind);
}

function addStep(d: Draft, step: Step, f: StepFacts) {
  const ex = step.exchange;
  d.steps.push(step);
  d.kinds.add(step.kind);
  if (ex.tabId >= 0) d.tabs.add(ex.tabId);
  if (f.appOrigin) d.appOrigins.add(f.appOrigin);
  if (f.redirectUri) {
    const o = originOf(f.redirectUri);
    if (o) d.appOrigins.add(o);
  }
  d.lastAt = Math.max(d.lastAt, ex.completedAt ?? ex.startedAt);
  if (AUTHORIZE_LIKE.has(step.kind) && step.decoded) d.authHost ??= step.decoded.host;
  // The first value seen wins: later hops repeat it, and a differing later value is itself evidence.
  for (const [k, v] of Object.entries(f) as [keyof StepFacts, string | undefined][]) {
    if (v !== undefined && d.facts[k] === undefined && k !== 'code' && k !== 'appOrigin') d.facts[k] = v;
  }
}

function isDuplicate(a: Step, b: Step): boolean {
  return (
    a.exchange.source !== b.exchange.source &&
    (a.exchange.source === 'webNavigation' || b.exchange.source === 'webNavigation') &&
    a.exchange.url === b.exchange.url &&
    a.exchange.tabId === b.exchange.tabId &&
    Math.abs(a.exchange.startedAt - b.exchange.startedAt) <= DUPLICATE_MS
  );
}

/** Drop webNavigation records that duplicate a richer webRequest record of the same navigation. */
function dedupe(steps: Step[]): Step[] {
  return steps.filter(
    (s) => s.exchange.source !== 'webNavigation' || !steps.some((o) => o !== s && isDuplicate(s, o)),
  );
}

export function isStepFailed(step: Step): boolean {
  const ex = step.exchange;
  if (step.kind === 'error-page') return true;
  if (ex.error || ex.phase === 'failed') return true;
  if (ex.status !== undefined && ex.status >= 400) return true;
  return step.kind === 'callback' && !!step.decoded?.params.some((p) => p.name === 'error');
}

function toLaunch(d: Draft): Launch {
  const steps = dedupe(d.steps);
  const first = steps[0]!.exchange;
  let endedAt = first.startedAt;
  for (const s of steps) {
    s.offsetMs = s.exchange.startedAt - first.startedAt;
    if (s.exchange.completedAt !== undefined)
      s.durationMs = Math.max(0, s.exchange.completedAt - s.exchange.startedAt);
    s.failed = isStepFailed(s);
    endedAt = Math.max(endedAt, s.exchange.completedAt ?? s.exchange.startedAt);
  }
  const tokenOk = steps.some(
    (s) => s.kind === 'token' && !s.failed && s.exchange.status !== undefined && s.exchange.status < 300,
  );
  const firstFailure = steps.find((s) => s.failed && FLOW_KINDS.has(s.kind));
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
