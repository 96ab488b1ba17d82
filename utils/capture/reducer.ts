import type { CapturedBody, Exchange } from '../model';
import { captureBody } from '../redact/body';
import type { BodyEvent, CaptureEvent, NavigationEvent, RequestEvent } from './events';
import { applyResponse } from './headers';
import { isRelevant, leadsIntoLaunch } from './relevance';
import { isStripRewrite } from './rewrite';
import { type CaptureState, type Change, newChange, shortHash } from './state';

export interface ReduceContext {
  /** Whether the extension holds host permission for this URL's origin (for `partial`). */
  hasHostPermission: (url: string) => boolean;
  /** false only for the opt-in unredacted session copy. */
  redact: boolean;
}

/** Records of the same URL this close together are the same step seen by two APIs. */
const SHADOW_MS = 60_000;

/**
 * Apply one (already redacted, unless the caller opted out) event to the state. Tolerates events that
 * arrive twice, late, out of order or never: an exchange is found by request id and URL, created by
 * whichever event comes first, and its phase only moves forward (pending → complete | failed).
 */
export function applyEvent(state: CaptureState, event: CaptureEvent, ctx: ReduceContext): Change {
  const change = newChange();
  switch (event.kind) {
    case 'tab-opened':
      state.openers[String(event.tabId)] = { openerTabId: event.openerTabId, at: event.timeStamp };
      change.bookkeeping = true;
      break;
    case 'tab-closed': {
      // The tab's latest exchange says so: the launch that ends there (if any) was signing in there.
      const last = latestInTab(state, event.tabId);
      if (last && last.tabClosedAt === undefined) {
        last.tabClosedAt = Math.max(event.timeStamp, last.completedAt ?? last.startedAt);
        change.upserted.add(last.id);
      }
      break;
    }
    case 'nav-before':
    case 'nav-committed':
    case 'nav-error':
      applyNavigation(state, event, ctx, change);
      break;
    case 'body':
      applyBody(state, event, ctx, change);
      break;
    default:
      applyRequest(state, event, change, ctx);
  }
  // Analysis reuses what it derived from an exchange while its revision is the same (analyze.ts).
  for (const id of change.upserted) {
    const ex = state.exchanges[id];
    if (ex) ex.revision = (ex.revision ?? 0) + 1;
  }
  return change;
}

/** The exchange of `tabId` that started last (a tab closes rarely: a scan is cheap enough). */
function latestInTab(state: CaptureState, tabId: number): Exchange | undefined {
  let last: Exchange | undefined;
  for (const id in state.exchanges) {
    const ex = state.exchanges[id]!;
    if (ex.tabId === tabId && (!last || ex.startedAt >= last.startedAt)) last = ex;
  }
  return last;
}

function baseExchange(state: CaptureState, e: { tabId: number; url: string; timeStamp: number }): Exchange {
  const opener = state.openers[String(e.tabId)];
  return {
    id: '',
    source: 'webRequest',
    hop: 0,
    tabId: e.tabId,
    type: 'other',
    method: 'GET',
    url: e.url,
    startedAt: e.timeStamp,
    phase: 'pending',
    responseHeaders: {},
    ...(opener ? { openerTabId: opener.openerTabId } : {}),
  };
}

function findHop(state: CaptureState, e: RequestEvent): Exchange | undefined {
  const track = state.requests[e.requestId];
  if (!track) return undefined;
  for (let i = track.hops.length - 1; i >= 0; i--) {
    const ex = state.exchanges[track.hops[i]!];
    if (ex && (ex.url === e.url || ex.rewrittenFrom === e.url)) return ex;
  }
  return undefined;
}

function lastHop(state: CaptureState, requestId: string): Exchange | undefined {
  const hops = state.requests[requestId]?.hops ?? [];
  return state.exchanges[hops[hops.length - 1] ?? ''];
}

function answered(ex: Exchange): boolean {
  return ex.status !== undefined || ex.location !== undefined || ex.phase !== 'pending';
}

function newHop(state: CaptureState, e: RequestEvent, change: Change): Exchange | undefined {
  const track = state.requests[e.requestId];
  if (
    !track &&
    !isRelevant({ url: e.url, method: e.method, type: e.type, form: 'form' in e ? e.form : undefined }) &&
    !leadsOn(e)
  ) {
    return undefined;
  }
  const hops = track?.hops ?? [];
  const hop = hops.length;
  const ex = baseExchange(state, e);
  ex.id = `webRequest:${e.requestId}:${hop}`;
  ex.requestId = e.requestId;
  ex.hop = hop;
  state.exchanges[ex.id] = ex;
  indexUrls(state, ex);
  state.requests[e.requestId] = { hops: [...hops, ex.id], lastSeen: e.timeStamp };
  change.upserted.add(ex.id);
  change.tracks.add(e.requestId);
  return ex;
}

/** A page load whose redirect leads into a launch (leadsIntoLaunch()). */
function leadsOn(e: RequestEvent): boolean {
  return (
    e.kind === 'redirect' &&
    (e.type === 'main_frame' || e.type === 'sub_frame') &&
    leadsIntoLaunch(e.redirectUrl, e.type)
  );
}

/** The exchange a webRequest event belongs to, created when needed (and relevant). */
function exchangeFor(state: CaptureState, e: RequestEvent, change: Change): Exchange | undefined {
  const found = findHop(state, e);
  if (found) {
    // Same URL again after an answer: a redirect loop revisiting it, unless the event is simply late.
    const revisit =
      e.kind === 'request' && answered(found) && e.timeStamp >= (found.completedAt ?? found.startedAt);
    if (!revisit) return found;
  }
  const last = lastHop(state, e.requestId);
  if (last && e.kind !== 'request' && !answered(last) && isStripRewrite(last.url, e.url)) {
    // Our rule rewrote the target of a server redirect: no 307 event, only the URL differs (tech-notes 3.1).
    last.rewrittenFrom = last.url;
    last.url = e.url;
    indexUrls(state, last);
    return last;
  }
  return newHop(state, e, change);
}

function applyRequest(state: CaptureState, e: RequestEvent, change: Change, ctx: ReduceContext): void {
  if (e.kind === 'error') dropUnfollowedHop(state, e, change);
  const hopsBefore = state.requests[e.requestId]?.hops.length ?? 0;
  const ex = exchangeFor(state, e, change);
  if (!ex) return;
  // Recorded from its completion alone (FHIR reads, discovery: docs/benchmarks.md), its start is unknown.
  if (
    (e.kind === 'completed' || e.kind === 'error') &&
    (state.requests[e.requestId]?.hops.length ?? 0) > hopsBefore
  )
    ex.durationUnknown = true;
  else if (e.kind === 'request' || e.kind === 'send-headers') delete ex.durationUnknown;
  change.upserted.add(ex.id);
  if (ex.inferred) {
    // The hop's own events arrived after all: they, not the redirect, say when it started.
    delete ex.inferred;
    ex.startedAt = e.timeStamp;
  }
  const track = state.requests[e.requestId];
  if (track && e.timeStamp > track.lastSeen) {
    track.lastSeen = e.timeStamp;
    change.tracks.add(e.requestId);
  }
  ex.startedAt = Math.min(ex.startedAt, e.timeStamp);
  if (e.method) ex.method = e.method;
  if (e.type) ex.type = e.type;
  if (e.frameId !== undefined) ex.frameId = e.frameId;
  if (e.parentFrameId !== undefined && e.parentFrameId >= 0) ex.parentFrameId = e.parentFrameId;
  if (e.initiator) ex.initiator = e.initiator;
  if (e.tabId >= 0) ex.tabId = e.tabId;
  switch (e.kind) {
    case 'request':
      if (e.form) ex.form = e.form;
      if (e.formFormat) ex.formFormat = e.formFormat;
      if (e.secretFacts) ex.secretFacts = e.secretFacts;
      absorbShadows(state, ex, change);
      break;
    case 'send-headers':
      applyResponse(ex, { requestHeaders: e.requestHeaders });
      // Heard where the Cookie header is readable (authorization servers, extraHeaders): none is none sent.
      if (e.requestHeaders) ex.requestCookies ??= { count: 0, bytes: 0, names: [] };
      break;
    case 'redirect':
      if (isOwnRewrite(ex, e)) {
        ex.rewrittenFrom ??= ex.url;
        ex.url = e.redirectUrl;
        indexUrls(state, ex);
        break;
      }
      applyResponse(ex, e);
      ex.status = e.statusCode;
      ex.location = e.redirectUrl;
      finish(ex, 'complete', e.timeStamp);
      inferNextHop(state, ex, e, change, ctx);
      break;
    case 'headers':
      applyResponse(ex, e);
      ex.status = e.statusCode;
      break;
    case 'completed':
      applyResponse(ex, e);
      if (e.statusCode !== undefined) ex.status = e.statusCode;
      finish(ex, 'complete', e.timeStamp);
      break;
    case 'error':
      ex.error = e.error;
      finish(ex, 'failed', e.timeStamp);
      break;
  }
}

/**
 * The hop a redirect leads to, recorded from the redirect itself: its own events normally follow at once
 * and fill it in (they find it by request id and URL), but when they are lost — the worker stopped as
 * they were dispatched — the step is still there. Only for URLs whose events the browser shows us.
 */
function inferNextHop(
  state: CaptureState,
  ex: Exchange,
  e: Extract<RequestEvent, { kind: 'redirect' }>,
  change: Change,
  ctx: ReduceContext,
): void {
  if (lastHop(state, e.requestId) !== ex || !ctx.hasHostPermission(e.redirectUrl)) return;
  const target: RequestEvent = { ...e, kind: 'request', url: e.redirectUrl };
  // Its events may have come first (a restarted worker gets queued events in no set order).
  if (findHop(state, target)) return;
  const next = newHop(state, target, change);
  if (!next) return;
  next.inferred = true;
  next.method = e.statusCode === 307 || e.statusCode === 308 || ex.method === 'GET' ? ex.method : 'GET';
  next.type = ex.type;
  if (ex.frameId !== undefined) next.frameId = ex.frameId;
  if (ex.parentFrameId !== undefined) next.parentFrameId = ex.parentFrameId;
  if (ex.initiator) next.initiator = ex.initiator;
}

/**
 * A request that fails at an earlier URL than its inferred last hop never followed that redirect (e.g.
 * Chromium's limit of 20 redirects): the hop was never requested, so it goes.
 */
function dropUnfollowedHop(state: CaptureState, e: RequestEvent, change: Change): void {
  const last = lastHop(state, e.requestId);
  if (!last?.inferred || last.url === e.url || isStripRewrite(last.url, e.url)) return;
  const track = state.requests[e.requestId]!;
  track.hops = track.hops.filter((id) => id !== last.id);
  delete state.exchanges[last.id];
  change.removed.add(last.id);
  change.upserted.delete(last.id);
  change.tracks.add(e.requestId);
}

/** A 307 "Internal Redirect" before any response whose target is this URL minus forceAuthn: our rule. */
function isOwnRewrite(ex: Exchange, e: Extract<RequestEvent, { kind: 'redirect' }>): boolean {
  if (e.statusCode !== 307 || ex.status !== undefined) return false;
  if (e.statusLine && !/internal/i.test(e.statusLine)) return false;
  return isStripRewrite(e.url, e.redirectUrl);
}

function finish(ex: Exchange, phase: 'complete' | 'failed', at: number): void {
  if (ex.phase === 'pending' || (ex.phase === 'complete' && phase === 'failed' && ex.status === undefined)) {
    ex.phase = phase;
  }
  ex.completedAt = ex.completedAt === undefined ? at : Math.max(ex.completedAt, at);
}

/**
 * The ids of the navigation and DevTools records in each exchange table: what absorbShadows looks
 * through on every request event. They are few next to the webRequest records, and scanning every
 * exchange per event made a long log's recording quadratic. Built on first use; the reducer adds the
 * records it creates (addShadow), and ids whose record is gone (absorbed, pruned) are dropped when met.
 */
const shadowTables = new WeakMap<Record<string, Exchange>, Set<string>>();

function shadowIds(state: CaptureState): Set<string> {
  let ids = shadowTables.get(state.exchanges);
  if (!ids) {
    ids = new Set();
    for (const [id, ex] of Object.entries(state.exchanges)) if (ex.source !== 'webRequest') ids.add(id);
    shadowTables.set(state.exchanges, ids);
  }
  return ids;
}

/** Stores a navigation or DevTools record; a new one goes last, as in the table's own key order. */
function addShadow(state: CaptureState, ex: Exchange): void {
  const ids = shadowIds(state);
  if (!(ex.id in state.exchanges)) ids.delete(ex.id);
  state.exchanges[ex.id] = ex;
  ids.add(ex.id);
}

/** A navigation or DevTools record of the same request seen first: fold it into the richer record. */
function absorbShadows(state: CaptureState, ex: Exchange, change: Change): void {
  const ids = shadowIds(state);
  for (const id of ids) {
    const other = state.exchanges[id];
    if (!other || other.source === 'webRequest') {
      ids.delete(id);
      continue;
    }
    if (other.tabId !== ex.tabId) continue;
    if (other.url !== ex.url || Math.abs(other.startedAt - ex.startedAt) > SHADOW_MS) continue;
    if (other.body && !ex.body) ex.body = other.body;
    if (other.form && !ex.form) {
      ex.form = other.form;
      if (other.formFormat) ex.formFormat = other.formFormat;
    }
    if (other.secretFacts && !ex.secretFacts) ex.secretFacts = other.secretFacts;
    delete state.exchanges[other.id];
    ids.delete(id);
    change.removed.add(other.id);
  }
}

/**
 * The ids of the webRequest records in each exchange table by URL, their own and the one our rule
 * rewrote (`rewrittenFrom`): what shadowOf looks up for every navigation and DevTools body event instead
 * of every exchange, which made a long log's recording quadratic. Built on first use; the reducer adds
 * the records it creates and the URLs it rewrites (indexUrls). An id is checked against its record when
 * met, so ids whose record is gone or has moved on are skipped; the index is built again once it holds
 * twice as many ids as when it was built (ids of records pruned or absorbed since).
 */
interface UrlIndex {
  byUrl: Map<string, Set<string>>;
  size: number;
  limit: number;
}
const urlIndexes = new WeakMap<Record<string, Exchange>, UrlIndex>();

function urlIndex(state: CaptureState): UrlIndex {
  let index = urlIndexes.get(state.exchanges);
  if (!index || index.size > index.limit) {
    index = { byUrl: new Map(), size: 0, limit: 0 };
    for (const ex of Object.values(state.exchanges)) if (ex.source === 'webRequest') addUrls(index, ex);
    index.limit = 2 * index.size + 64;
    urlIndexes.set(state.exchanges, index);
  }
  return index;
}

function addUrls(index: UrlIndex, ex: Exchange): void {
  for (const url of ex.rewrittenFrom === undefined ? [ex.url] : [ex.url, ex.rewrittenFrom]) {
    const ids = index.byUrl.get(url);
    if (!ids) index.byUrl.set(url, new Set([ex.id]));
    else if (!ids.has(ex.id)) ids.add(ex.id);
    else continue;
    index.size++;
  }
}

/** Keeps the table's URL index (if built) in step with a webRequest record made or given a new URL. */
function indexUrls(state: CaptureState, ex: Exchange): void {
  const index = urlIndexes.get(state.exchanges);
  if (index) addUrls(index, ex);
}

/** The webRequest record this navigation/body duplicates, if any: the nearest in time. */
function shadowOf(
  state: CaptureState,
  tabId: number,
  url: string,
  at: number,
  method?: string,
): Exchange | undefined {
  const ids = urlIndex(state).byUrl.get(url);
  if (!ids) return undefined;
  let best: Exchange | undefined;
  let tie = false;
  for (const id of ids) {
    const ex = state.exchanges[id];
    if (ex?.source !== 'webRequest' || (ex.url !== url && ex.rewrittenFrom !== url)) continue;
    if (ex.tabId !== tabId || (method && ex.method !== method)) continue;
    const d = Math.abs(ex.startedAt - at);
    if (d > SHADOW_MS) continue;
    const bestD = best ? Math.abs(best.startedAt - at) : Number.POSITIVE_INFINITY;
    if (d < bestD) {
      best = ex;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  // Equally near: the first in the table's order, as a scan of the table finds it.
  return tie ? scanForShadow(state, tabId, url, at, method) : best;
}

function scanForShadow(
  state: CaptureState,
  tabId: number,
  url: string,
  at: number,
  method?: string,
): Exchange | undefined {
  let best: Exchange | undefined;
  for (const ex of Object.values(state.exchanges)) {
    if (ex.source !== 'webRequest' || ex.tabId !== tabId) continue;
    if (ex.url !== url && ex.rewrittenFrom !== url) continue;
    if (method && ex.method !== method) continue;
    const d = Math.abs(ex.startedAt - at);
    if (d > SHADOW_MS) continue;
    if (!best || d < Math.abs(best.startedAt - at)) best = ex;
  }
  return best;
}

function applyNavigation(state: CaptureState, e: NavigationEvent, ctx: ReduceContext, change: Change): void {
  const key = `${e.tabId}:${e.frameId}`;
  if (!isRelevant({ url: e.url })) return;
  if (e.kind === 'nav-before') {
    state.navStarts[key] = { url: e.url, at: e.timeStamp };
    change.bookkeeping = true;
    return;
  }
  const start = state.navStarts[key];
  const startedAt = start && start.url === e.url ? start.at : e.timeStamp;
  const shadow = shadowOf(state, e.tabId, e.url, startedAt);
  if (shadow) {
    // A commit means the response arrived, even when its own completion event was lost.
    if (e.kind === 'nav-committed' && shadow.phase === 'pending') {
      finish(shadow, 'complete', e.timeStamp);
      change.upserted.add(shadow.id);
    }
    return;
  }
  const id = `webNavigation:${e.tabId}:${e.frameId}:${shortHash(`${startedAt}|${e.url}`)}`;
  const ex = state.exchanges[id] ?? { ...baseExchange(state, e), id, source: 'webNavigation', startedAt };
  ex.type = e.frameId === 0 ? 'main_frame' : 'sub_frame';
  ex.frameId = e.frameId;
  if (e.parentFrameId !== undefined && e.parentFrameId >= 0) ex.parentFrameId = e.parentFrameId;
  // Seen only as a navigation: requests sent from this page are invisible without its host permission.
  ex.partial = !ctx.hasHostPermission(e.url);
  if (e.kind === 'nav-error') ex.error = e.error ?? 'navigation failed';
  if (e.secretFacts) ex.secretFacts = e.secretFacts;
  finish(ex, e.kind === 'nav-error' ? 'failed' : 'complete', e.timeStamp);
  addShadow(state, ex);
  change.upserted.add(id);
}

function applyBody(state: CaptureState, e: BodyEvent, ctx: ReduceContext, change: Change): void {
  const target = shadowOf(state, e.tabId, e.url, e.startedAt, e.method.toUpperCase());
  const body: CapturedBody = e.redacted
    ? { text: e.text, truncated: e.truncated ?? false, ...(e.mimeType ? { mimeType: e.mimeType } : {}) }
    : captureBody(e.text, e.mimeType, ctx.redact);
  if (target) {
    target.body = body;
    if (target.status === undefined && e.status > 0) target.status = e.status;
    // webRequest saw the form only when it could read the body; DevTools fills what is missing.
    if (e.form && !target.form) {
      target.form = e.form;
      if (e.formFormat) target.formFormat = e.formFormat;
    }
    if (e.secretFacts && !target.secretFacts) target.secretFacts = e.secretFacts;
    change.upserted.add(target.id);
    return;
  }
  if (!isRelevant({ url: e.url, method: e.method })) return;
  const id = `devtools:${e.tabId}:${shortHash(`${e.startedAt}|${e.method}|${e.url}`)}`;
  const ex: Exchange = {
    ...baseExchange(state, { tabId: e.tabId, url: e.url, timeStamp: e.startedAt }),
    id,
    source: 'devtools',
    type: 'fetch',
    method: e.method.toUpperCase(),
    phase: 'complete',
    completedAt: e.startedAt,
    body,
    // webRequest did not see it: cookies, form and redirects of this request are unknown.
    partial: true,
    ...(e.status > 0 ? { status: e.status } : {}),
    ...(e.form ? { form: e.form } : {}),
    ...(e.form && e.formFormat ? { formFormat: e.formFormat } : {}),
    ...(e.secretFacts ? { secretFacts: e.secretFacts } : {}),
  };
  addShadow(state, ex);
  change.upserted.add(id);
}
