import type { Exchange, Step, StepKind } from '../model';
import { smartConfigOf } from '../smart/smart-config';
import { getParam } from '../url';
import { formValue } from '../url/query';
import { originOf, splitUrl } from '../url/split';
import { type Classification, type Classified, callbackKind, isHtml, personaOf } from './classify';
import { authorizeParamsOf } from './facts';

/**
 * The second look at a step, with what the launches themselves declared: the endpoints of their
 * discovery documents, and the redirect_uri and state of their authorize requests. Classification of
 * one exchange alone is a first guess (a redirect URI such as `/launch/auth` looks like an authorize
 * endpoint); this decides with the flow's own words.
 */
export interface FlowContext {
  /** Bases (no query) of every `authorization_endpoint` in a discovery document seen. */
  authorizeEndpoints: Set<string>;
  /** Bases of every `token_endpoint` seen. */
  tokenEndpoints: Set<string>;
  /** Bases of every `redirect_uri` an authorize request declared. */
  redirectBases: Set<string>;
  /** Origins of those redirect URIs: the apps' own origins. */
  appOrigins: Set<string>;
  /** Every `state` an authorize request sent. */
  states: Set<string>;
  /**
   * Hosts of the authorization server: of discovery's `authorization_endpoint`, Oracle's authorize path
   * and session-api. An identity provider it federates sign-in to sends its own authorization response
   * back there (idpLeg()).
   */
  authServerHosts: Set<string>;
  /** Per tab, when authorize requests (or Loading pages) started, ascending. */
  authorizeStarts: Map<number, number[]>;
  /**
   * What discovery's endpoints say of the i-th exchange given to flowContext() (refineByEndpoints()),
   * or that it is an identity provider's authorize request (idpLeg()); a hole when they say nothing
   * new. Read once here, again by refine().
   */
  byEndpoints: ([StepKind, string] | undefined)[];
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

/** The context of a capture: discovery endpoints first, then what authorize steps (so refined) declared. */
export function flowContext(exchanges: readonly Exchange[], classes: readonly Classification[]): FlowContext {
  // `exchanges` are sorted by time, so authorizeStarts come out ascending.
  const ctx: FlowContext = {
    authorizeEndpoints: new Set(),
    tokenEndpoints: new Set(),
    redirectBases: new Set(),
    appOrigins: new Set(),
    states: new Set(),
    authServerHosts: new Set(),
    authorizeStarts: new Map(),
    byEndpoints: new Array(exchanges.length),
  };
  for (let i = 0; i < exchanges.length; i++) {
    const k = classes[i]!.kind;
    if (k === 'session-api' || ((k === 'authorize' || k === 'loading-page') && personaOf(classes[i]!.path))) {
      ctx.authServerHosts.add(classes[i]!.host);
    }
    if (k !== 'discovery') continue;
    const [authorize, token] = endpointsOf(exchanges[i]!, classes[i]!);
    if (authorize) {
      ctx.authorizeEndpoints.add(authorize);
      ctx.authServerHosts.add(splitUrl(authorize).host);
    }
    if (token) ctx.tokenEndpoints.add(token);
  }
  for (let i = 0; i < exchanges.length; i++) {
    const c = classes[i]!;
    const byEndpoints = refineByEndpoints(exchanges[i]!, c, ctx);
    if (byEndpoints) ctx.byEndpoints[i] = byEndpoints;
    const kind = byEndpoints?.[0] ?? c.kind;
    if (!AUTHORIZE_LIKE.has(kind)) continue;
    const ex = exchanges[i]!;
    if (kind !== 'session-api') {
      const times = ctx.authorizeStarts.get(ex.tabId);
      if (times) times.push(ex.startedAt);
      else ctx.authorizeStarts.set(ex.tabId, [ex.startedAt]);
    }
    const [redirect, state] = declaredBy(exchanges[i]!, c, kind);
    if (kind !== 'session-api' && idpAuthorize(c, redirect, ctx)) {
      ctx.byEndpoints[i] = ['idp-login', 'IdP login (OIDC authorize)'];
      continue;
    }
    if (redirect) {
      ctx.redirectBases.add(redirect);
      ctx.appOrigins.add(originOf(redirect));
    }
    if (state) ctx.states.add(state);
  }
  return ctx;
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
    if (method === 'GET' && ex.status === 200 && isHtml(ex)) return ['loading-page', `${what} Loading page`];
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
  if (!redirect || ctx.authServerHosts.size === 0 || ctx.authServerHosts.has(c.host)) return false;
  return ctx.authServerHosts.has(splitUrl(redirect).host);
}

/** An authorization response at the authorization server's host that no app declared as its redirect URI. */
function idpCallback(c: Classified, ctx: FlowContext): boolean {
  return ctx.authServerHosts.has(c.host) && !ctx.redirectBases.has(c.base);
}

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
