import type { Exchange, Step, StepKind } from '../model';
import { smartConfigOf } from '../smart/smart-config';
import { getParam, lazyDecodeUrl } from '../url';
import { formValue } from '../url/query';
import { originOf, splitUrl } from '../url/split';
import {
  authorizePageLabel,
  type Classification,
  type Classified,
  callbackKind,
  isHtml,
  personaOf,
  responseIssuer,
} from './classify';
import { authorizeParamsOf } from './facts';

/**
 * The second look at a step, with what the launches themselves declared: the endpoints of their
 * discovery documents, and the redirect_uri and state of their authorize requests. Classification of
 * one exchange alone is a first guess (a redirect URI such as `/launch/auth` looks like an authorize
 * endpoint); this decides with the flow's own words.
 */
export interface FlowContext {
  /** Bases (no query) of every `authorization_endpoint` in a discovery document seen. */
  authorizeEndpoints: Members;
  /** Bases of every `token_endpoint` seen. */
  tokenEndpoints: Members;
  /** Bases of every `redirect_uri` an authorize request declared. */
  redirectBases: Members;
  /** Origins of those redirect URIs: the apps' own origins. */
  appOrigins: Members;
  /** Every `state` an authorize request sent. */
  states: Members;
  /**
   * Hosts of the authorization server: of discovery's `authorization_endpoint`, Oracle's authorize path
   * and session-api. An identity provider it federates sign-in to sends its own authorization response
   * back there (idpLeg()).
   */
  authServerHosts: Members;
  /** Per tab, when authorize requests (or Loading pages) started, ascending. */
  authorizeStarts: Map<number, number[]>;
  /**
   * What discovery's endpoints say of the i-th exchange given to flowContext() (refineByEndpoints()),
   * or that it is an identity provider's authorize request (idpLeg()); a hole when they say nothing
   * new. Read once here, again by refine().
   */
  byEndpoints: ([StepKind, string] | undefined)[];
}

/**
 * A set of strings that counts how many exchanges put each one in, so that what an exchange put in
 * can be taken out again (flowContext() follows a capture whose recent end changes).
 */
export class Members {
  private readonly counts = new Map<string, number>();

  has(key: string): boolean {
    return this.counts.has(key);
  }

  get size(): number {
    return this.counts.size;
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.counts.keys();
  }

  /** True when `key` was no member before. */
  add(key: string): boolean {
    const n = this.counts.get(key);
    this.counts.set(key, (n ?? 0) + 1);
    return n === undefined;
  }

  /** Takes out one count of `key` (which must be in); true when `key` is no member now. */
  remove(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) {
      this.counts.delete(key);
      return true;
    }
    this.counts.set(key, n - 1);
    return false;
  }
}

/** True when an authorize request starts in `tab` after `at` and no later than `until`. */
export function authorizeBetween(ctx: FlowContext, tab: number, at: number, until: number): boolean {
  const times = ctx.authorizeStarts.get(tab);
  if (!times) return false;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo]! <= until;
}

/** The steps of an authorization request at the authorization server (before the user signs in). */
export const AUTHORIZE_LIKE: ReadonlySet<StepKind> = new Set<StepKind>([
  'authorize',
  'loading-page',
  'session-api',
]);
/** Kinds named by an unambiguous path or body, which the context never overrides. */
const FIXED = new Set<StepKind>(['discovery', 'metadata', 'token', 'refresh', 'session-api', 'error-page']);

function baseOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const base = splitUrl(url).base;
  return base || undefined;
}

type FirstPart = 'authServerHosts' | 'authorizeEndpoints' | 'tokenEndpoints';

/**
 * What one exchange puts in the context's first part, which the second part reads: the hosts of the
 * authorization server and discovery's endpoints (names and keys, one after the other); undefined
 * for most exchanges, which put in nothing.
 */
function endpointsPut(ex: Exchange, c: Classification): string[] | undefined {
  const k = c.kind;
  let out: string[] | undefined;
  if (
    k === 'session-api' ||
    ((k === 'authorize' || k === 'loading-page') && (personaOf(c.path) || federates(ex, c)))
  ) {
    out = ['authServerHosts', c.host];
  }
  if (k === 'callback') {
    // RFC 9207: an authorization response names its issuer (Keycloak and others send it).
    const issuer = issuerHost(ex);
    return issuer ? ['authServerHosts', issuer] : out;
  }
  if (k !== 'discovery') return out;
  const [authorize, token] = endpointsOf(ex, c);
  out ??= [];
  if (authorize) out.push('authorizeEndpoints', authorize, 'authServerHosts', splitUrl(authorize).host);
  if (token) out.push('tokenEndpoints', token);
  return out;
}

/** The host of the issuer an authorization response (a code or an error, with its state) names. */
function issuerHost(ex: Exchange): string | undefined {
  if (!ex.url.includes('iss=')) return undefined;
  const d = lazyDecodeUrl(ex.url);
  if (getParam(d, 'state') === undefined) return undefined;
  if (getParam(d, 'code') === undefined && getParam(d, 'error') === undefined) return undefined;
  const iss = responseIssuer(d);
  return (iss && splitUrl(iss).host) || undefined;
}

/**
 * An authorize request answered with a redirect to another host's authorize request whose redirect_uri
 * comes back to this host: an authorization server sending the user to the identity provider it
 * federates sign-in to (Keycloak's brokers, Entra ID, Okta). Its host is an authorization server even
 * when no discovery document said so (its body is read only with DevTools open).
 */
function federates(ex: Exchange, c: Classification): boolean {
  const location = ex.location;
  if (!location?.includes('redirect_uri')) return false;
  const target = splitUrl(location);
  if (!target.host || target.host === c.host) return false;
  const back = getParam(lazyDecodeUrl(location, target), 'redirect_uri');
  return back !== undefined && splitUrl(back).host === c.host;
}

/**
 * Puts what endpointsPut() found in the first part (`sign` 1) or takes it out (-1); true when that
 * changed what the part holds.
 */
function putEndpoints(ctx: FlowContext, put: string[] | undefined, sign: 1 | -1): boolean {
  if (!put) return false;
  let changed = false;
  for (let j = 0; j < put.length; j += 2) {
    const members = ctx[put[j] as FirstPart];
    if (sign > 0 ? members.add(put[j + 1]!) : members.remove(put[j + 1]!)) changed = true;
  }
  return changed;
}

/** What one exchange puts in the context's second part, read against its first part. */
interface Declares {
  byEndpoints: [StepKind, string] | undefined;
  /** Set for an authorize request (or Loading page), which starts in tab `tab` at `at`. */
  starts: { tab: number; at: number } | undefined;
  redirect: string | undefined;
  state: string | undefined;
}

const NOTHING: Declares = {
  byEndpoints: undefined,
  starts: undefined,
  redirect: undefined,
  state: undefined,
};

function declares(ex: Exchange, c: Classification, ctx: FlowContext): Declares {
  const byEndpoints = refineByEndpoints(ex, c, ctx);
  const kind = byEndpoints?.[0] ?? c.kind;
  if (!AUTHORIZE_LIKE.has(kind)) return byEndpoints ? { ...NOTHING, byEndpoints } : NOTHING;
  const starts = kind === 'session-api' ? undefined : { tab: ex.tabId, at: ex.startedAt };
  const [redirect, state] = declaredBy(ex, c, kind);
  if (starts && idpAuthorize(c, redirect, ctx)) {
    return {
      byEndpoints: ['idp-login', 'IdP login (OIDC authorize)'],
      starts,
      redirect: undefined,
      state: undefined,
    };
  }
  return { byEndpoints, starts, redirect, state };
}

/** Puts what `d` declares in the second part (`sign` 1), or takes it out again (-1). */
function putDeclared(ctx: FlowContext, d: Declares, sign: 1 | -1): void {
  if (d.starts) {
    const { tab, at } = d.starts;
    const times = ctx.authorizeStarts.get(tab);
    if (sign > 0) {
      if (times) times.push(at);
      else ctx.authorizeStarts.set(tab, [at]);
    } else if (times) {
      // Taken out newest first: an exchange's start is the last in its tab's list.
      times.pop();
      if (times.length === 0) ctx.authorizeStarts.delete(tab);
    }
  }
  const put = (members: Members, key: string) => {
    if (sign > 0) members.add(key);
    else members.remove(key);
  };
  if (d.redirect) {
    put(ctx.redirectBases, d.redirect);
    put(ctx.appOrigins, originOf(d.redirect));
  }
  if (d.state) put(ctx.states, d.state);
}

/**
 * A context and what each exchange put in it, as it was then (the recorder edits exchanges in place:
 * what one put in is taken out as it was put in).
 */
interface Made {
  exchanges: readonly Exchange[];
  classes: readonly Classification[];
  ctx: FlowContext;
  endpoints: (string[] | undefined)[];
  declared: Declares[];
}

/** The capture the last context was made for, to follow its changes (flowContext()). */
let last: Made | undefined;

/**
 * The context of a capture: discovery endpoints first, then what authorize steps (so refined) declared.
 *
 * The recorder asks again after every change of the same growing capture, whose changes are at its
 * recent end. When the capture begins with the exchanges (same objects, same revisions) of the last
 * one asked for, the last context is changed instead of made again: what the exchanges after those
 * put in is taken out and what the new ones declare is put in. When that changes the first part
 * (a discovery endpoint or authorization server comes or goes), everything the second part holds may
 * read differently, and the context is made again from nothing. Either way it is the same
 * (tests/unit/flow-context-follow.test.ts). The context handed out before is changed: it is read
 * until the next call only.
 */
export function flowContext(exchanges: readonly Exchange[], classes: readonly Classification[]): FlowContext {
  const prev = last;
  // A call that throws half-way leaves nothing to follow.
  last = undefined;
  last = (prev && followed(prev, exchanges, classes)) ?? make(exchanges, classes);
  return last.ctx;
}

/** The context of a capture made from nothing, without following the last one. */
export function madeFlowContext(
  exchanges: readonly Exchange[],
  classes: readonly Classification[],
): FlowContext {
  return make(exchanges, classes).ctx;
}

function make(exchanges: readonly Exchange[], classes: readonly Classification[]): Made {
  // `exchanges` are sorted by time, so authorizeStarts come out ascending.
  const ctx: FlowContext = {
    authorizeEndpoints: new Members(),
    tokenEndpoints: new Members(),
    redirectBases: new Members(),
    appOrigins: new Members(),
    states: new Members(),
    authServerHosts: new Members(),
    authorizeStarts: new Map(),
    byEndpoints: new Array(exchanges.length),
  };
  const n = exchanges.length;
  const endpoints: (string[] | undefined)[] = new Array(n);
  const declared: Declares[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const put = endpointsPut(exchanges[i]!, classes[i]!);
    endpoints[i] = put;
    putEndpoints(ctx, put, 1);
  }
  for (let i = 0; i < n; i++) {
    const d = declares(exchanges[i]!, classes[i]!, ctx);
    declared[i] = d;
    if (d.byEndpoints) ctx.byEndpoints[i] = d.byEndpoints;
    putDeclared(ctx, d, 1);
  }
  return { exchanges, classes, ctx, endpoints, declared };
}

/**
 * `prev` changed to the context of `exchanges`, or undefined when it must be made again: the two
 * captures begin differently, or the first part changed.
 */
function followed(
  prev: Made,
  exchanges: readonly Exchange[],
  classes: readonly Classification[],
): Made | undefined {
  const before = prev.classes.length;
  const shared = Math.min(before, classes.length);
  let p = 0;
  while (p < shared && prev.classes[p] === classes[p] && prev.exchanges[p] === exchanges[p]) p++;
  if (p === 0) return undefined;
  const { ctx, endpoints, declared } = prev;
  // The first part: what the new end puts in goes in first, so that an endpoint both the old and the
  // new end name is never out in between.
  let changed = false;
  const n = exchanges.length;
  const fresh: (string[] | undefined)[] = [];
  for (let i = p; i < n; i++) {
    const put = endpointsPut(exchanges[i]!, classes[i]!);
    fresh.push(put);
    if (putEndpoints(ctx, put, 1)) changed = true;
  }
  for (let i = p; i < before; i++) if (putEndpoints(ctx, endpoints[i], -1)) changed = true;
  if (changed) return undefined;
  endpoints.length = p;
  for (const put of fresh) endpoints.push(put);
  // The second part reads the first, which holds what it held: take out the old end, newest first.
  for (let i = before - 1; i >= p; i--) putDeclared(ctx, declared[i]!, -1);
  declared.length = p;
  ctx.byEndpoints.length = p;
  for (let i = p; i < n; i++) {
    const d = declares(exchanges[i]!, classes[i]!, ctx);
    declared.push(d);
    ctx.byEndpoints[i] = d.byEndpoints;
    putDeclared(ctx, d, 1);
  }
  return { exchanges, classes, ctx, endpoints, declared };
}

/**
 * What one exchange adds to the context, remembered on its classification entry (classify.ts: one per
 * exchange object and revision): the recorder correlates the same (growing) capture on every request,
 * so this stays linear in what changed.
 */
interface Declared {
  kind: StepKind;
  values: [string | undefined, string | undefined];
}

function remembered(c: Classification, kind: StepKind): Declared['values'] | undefined {
  const memo = c.declared as Declared | undefined;
  return memo && memo.kind === kind ? memo.values : undefined;
}

function remember(c: Classification, kind: StepKind, values: Declared['values']): Declared['values'] {
  c.declared = { kind, values };
  return values;
}

/** A discovery document's authorization and token endpoints (bases). */
function endpointsOf(ex: Exchange, c: Classification): Declared['values'] {
  const known = remembered(c, 'discovery');
  if (known) return known;
  const config = smartConfigOf(ex.body);
  return remember(c, 'discovery', [baseOf(config?.authorization_endpoint), baseOf(config?.token_endpoint)]);
}

/** The redirect_uri base and state an authorize-like step declares. */
function declaredBy(ex: Exchange, c: Classification, kind: StepKind): Declared['values'] {
  const known = remembered(c, kind);
  if (known) return known;
  const params = authorizeParamsOf(ex, kind, c.decoded);
  return remember(c, kind, [baseOf(getParam(params, 'redirect_uri')), getParam(params, 'state')]);
}

/** Discovery's endpoints before path heuristics; undefined when they say nothing new. */
function refineByEndpoints(ex: Exchange, c: Classified, ctx: FlowContext): [StepKind, string] | undefined {
  if (FIXED.has(c.kind) || c.kind === 'callback' || c.signals.authorizationResponse) return undefined;
  // Most steps are at no endpoint a discovery document named.
  const atToken = ctx.tokenEndpoints.has(c.base);
  const atAuthorize = ctx.authorizeEndpoints.has(c.base);
  if (!atToken && !atAuthorize) return undefined;
  const method = ex.method.toUpperCase();
  if (method === 'POST' && atToken) return ['token', 'token'];
  if (atAuthorize && c.kind !== 'authorize' && c.kind !== 'loading-page') {
    const persona = personaOf(c.path);
    const what = persona ? `authorize (${persona})` : 'authorize';
    if (method === 'GET' && ex.status === 200 && isHtml(ex))
      return ['loading-page', authorizePageLabel(what, c.host)];
    return ['authorize', method === 'POST' ? `${what} POST` : what];
  }
  return undefined;
}

/**
 * Federated sign-in: the authorization server sends the user to an identity provider's own OIDC
 * authorize request, whose redirect_uri is back at the authorization server (not at an app), and the
 * provider answers there with its own code and state before the server goes on to the app's
 * redirect_uri. Both are part of the login, not of the app's authorization: the provider's request
 * declares no app redirect URI or state, and its response is no app callback.
 */
function idpAuthorize(c: Classified, redirect: string | undefined, ctx: FlowContext): boolean {
  if (!redirect || ctx.authServerHosts.has(c.host)) return false;
  const back = splitUrl(redirect);
  return ctx.authServerHosts.has(back.host) || BROKER_ENDPOINT.test(back.path);
}

/** An authorization response at the authorization server's host that no app declared as its redirect URI. */
function idpCallback(c: Classified, ctx: FlowContext): boolean {
  return (ctx.authServerHosts.has(c.host) || BROKER_ENDPOINT.test(c.path)) && !ctx.redirectBases.has(c.base);
}

/**
 * Where identity brokers take their provider's answer, known even when nothing else of the
 * authorization server was recorded: Keycloak's `/broker/<alias>/endpoint`, Amazon Cognito's
 * `/oauth2/idpresponse`, Okta's `/oauth2/v1/authorize/callback`.
 */
const BROKER_ENDPOINT =
  /\/broker\/[^/]+\/endpoint\/?$|\/oauth2\/idpresponse\/?$|\/oauth2\/v1\/authorize\/callback\/?$/i;

/**
 * A POST to a path ending in `/token` that classification took for the token endpoint on its path alone
 * (no grant_type seen), but that goes to the app's own origin while discovery named token endpoints
 * elsewhere: the app handing the code to its own backend, which exchanges it server-side.
 */
function appBackendPost(ex: Exchange, c: Classified, ctx: FlowContext): boolean {
  return (
    ctx.tokenEndpoints.size > 0 &&
    !ctx.tokenEndpoints.has(c.base) &&
    ctx.appOrigins.has(c.origin) &&
    formValue(ex.form, 'grant_type') === undefined
  );
}

/**
 * A POST that may hand an authorization code to the app's own backend (backend-for-frontend): no
 * grant_type, and a `code` in its form or a path ending in `/token`. Only at the app's own origin is it
 * one (refine(), correlate.ts weakMatch, codeHandoff()).
 */
export function handsCodeOver(ex: Exchange, path: string): boolean {
  return (
    (ex.method === 'POST' || ex.method.toUpperCase() === 'POST') &&
    formValue(ex.form, 'grant_type') === undefined &&
    (formValue(ex.form, 'code') !== undefined || /\/token\/?$/.test(path))
  );
}

function handoffLabel(c: Classified): string {
  return `code sent to the app's backend (POST ${c.path})`;
}

/**
 * A callback its server answered with a redirect within the app (to its own pages, not back to the
 * authorization server): a server-side app takes the code there and exchanges it itself, so no token
 * request can be seen. An app in the browser (fhirclient) is a page that answers 200 and sends the token
 * request from the page.
 */
export function serverSideCallback(callback: Step, authHost: string | undefined): boolean {
  const ex = callback.exchange;
  if (ex.status === undefined || ex.status < 300 || ex.status >= 400 || !ex.location) return false;
  const target = splitUrl(ex.location);
  return target.host !== '' && target.host !== authHost && !/(?:^|&)response_type=/.test(target.query);
}

/**
 * The step after `callback` that handed its code to the app's backend, at the callback's origin: the
 * backend exchanges the code server-side, so no token request can be seen (status.ts, state-lost).
 */
export function codeHandoff(steps: readonly Step[], callback: Step): Step | undefined {
  const origin = originOf(callback.exchange.url);
  return steps.find(
    (s) =>
      s.kind === 'other' &&
      s.exchange.startedAt >= callback.exchange.startedAt &&
      originOf(s.exchange.url) === origin &&
      handsCodeOver(s.exchange, splitUrl(s.exchange.url).path),
  );
}

/** A page the browser loaded (a frame), not a request a page's script sent. */
function isFrameLoad(ex: Exchange): boolean {
  return ex.type === 'main_frame' || ex.type === 'sub_frame';
}

/** `…/authorize/consent` of a long path: its last two segments. */
function lastSegments(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length <= 2 ? path : `…/${parts.slice(-2).join('/')}`;
}

/**
 * The step's kind and label in context. A URL carrying `code` or `error` at a declared redirect URI,
 * or with a `state` an authorize request sent, is the callback; a path that only looks like an
 * authorize endpoint (`…/auth`) but is a declared redirect URI, and is no discovery endpoint, is not one.
 * `index` is the exchange's index in the list the context was made from.
 */
export function refine(ex: Exchange, c: Classified, ctx: FlowContext, index: number): [StepKind, string] {
  const byEndpoints = ctx.byEndpoints[index];
  if (byEndpoints) return byEndpoints;
  if (c.kind === 'token' && appBackendPost(ex, c, ctx)) return ['other', handoffLabel(c)];
  if (c.kind === 'other' && handsCodeOver(ex, c.path) && ctx.appOrigins.has(c.origin)) {
    return ['other', handoffLabel(c)];
  }
  if (c.kind === 'callback' && idpCallback(c, ctx)) return ['idp-login', 'IdP login (OIDC callback)'];
  // A page of the authorization server itself that no path names (a consent page, a patient picker, a
  // "session expired" page): part of signing in, so its failure is the launch's.
  if (
    c.kind === 'other' &&
    isFrameLoad(ex) &&
    ctx.authServerHosts.has(c.host) &&
    !handsCodeOver(ex, c.path)
  ) {
    // A consent page says so in its path (…/consent, Keycloak's …/login-actions/consent…).
    const page = /\/consents?(?:\/|$)|consent[-_]?(?:page|form)?$/i.test(c.path)
      ? 'consent page'
      : 'sign-in page';
    return ['idp-login', `${page} ${ex.method.toUpperCase()} ${lastSegments(c.path)}`];
  }
  if (FIXED.has(c.kind) || c.kind === 'callback') return [c.kind, c.label];
  const s = c.signals;
  if (s.code || s.error) {
    const declared = ctx.redirectBases.has(c.base);
    const known = s.state && ctx.states.has(getParam(c.decoded, 'state') ?? '');
    if (declared || known) return callbackKind(c.decoded);
  }
  if (
    s.authorizeByPathOnly &&
    (c.kind === 'authorize' || c.kind === 'loading-page') &&
    ctx.redirectBases.has(c.base) &&
    !ctx.authorizeEndpoints.has(c.base)
  ) {
    return ['other', `${ex.method.toUpperCase()} ${c.host}${c.path}`];
  }
  return [c.kind, c.label];
}
