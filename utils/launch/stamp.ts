import type { Exchange } from '../model';

/**
 * A stamp stands for the content of an exchange object as analysis last saw it: stampOf() hands out
 * the same stamp while nothing in the exchange changed and a new one as soon as anything did, so
 * results derived from a whole launch can be reused while every exchange in it keeps its stamp.
 *
 * Live exchanges are updated in place (response headers included); nested objects other than the
 * response headers (form, body, cookie summary, Set-Cookie names) are replaced, not edited, by capture
 * and HAR import, yet body and cookie summary fields are compared too.
 */
export type Stamp = object;

/** Every field of an Exchange: leaving one out of the snapshot is a type error. */
type Snapshot = Readonly<Record<keyof Exchange, unknown>> & {
  readonly headers: readonly string[];
  readonly bodyText: string | undefined;
  readonly bodyMimeType: string | undefined;
  readonly bodyTruncated: boolean | undefined;
  readonly cookieCount: number | undefined;
  readonly cookieBytes: number | undefined;
  readonly cookieNames: readonly string[] | undefined;
};

const stamps = new WeakMap<Exchange, Snapshot>();

export function stampOf(ex: Exchange): Stamp {
  const s = stamps.get(ex);
  if (s && same(s, ex)) return s;
  const fresh = snapshot(ex);
  stamps.set(ex, fresh);
  return fresh;
}

/** Response headers as [name, value, name, value…] in their order. */
function headerList(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const name in headers) out.push(name, headers[name]!);
  return out;
}

function sameHeaders(list: readonly string[], headers: Record<string, string>): boolean {
  let i = 0;
  for (const name in headers) {
    if (list[i] !== name || list[i + 1] !== headers[name]) return false;
    i += 2;
  }
  return i === list.length;
}

export function snapshot(ex: Exchange): Snapshot {
  return {
    id: ex.id,
    source: ex.source,
    requestId: ex.requestId,
    hop: ex.hop,
    tabId: ex.tabId,
    openerTabId: ex.openerTabId,
    frameId: ex.frameId,
    parentFrameId: ex.parentFrameId,
    type: ex.type,
    method: ex.method,
    url: ex.url,
    rewrittenFrom: ex.rewrittenFrom,
    initiator: ex.initiator,
    startedAt: ex.startedAt,
    completedAt: ex.completedAt,
    phase: ex.phase,
    status: ex.status,
    statusText: ex.statusText,
    location: ex.location,
    responseHeaders: ex.responseHeaders,
    requestCookies: ex.requestCookies,
    setCookieNames: ex.setCookieNames,
    form: ex.form,
    body: ex.body,
    error: ex.error,
    partial: ex.partial,
    secretFacts: ex.secretFacts,
    headers: headerList(ex.responseHeaders),
    bodyText: ex.body?.text,
    bodyMimeType: ex.body?.mimeType,
    bodyTruncated: ex.body?.truncated,
    cookieCount: ex.requestCookies?.count,
    cookieBytes: ex.requestCookies?.bytes,
    cookieNames: ex.requestCookies?.names,
  };
}

/** True when `ex` still reads as `s` (a test checks that every snapshot field is compared). */
export function same(s: Snapshot, ex: Exchange): boolean {
  return (
    s.id === ex.id &&
    s.source === ex.source &&
    s.requestId === ex.requestId &&
    s.hop === ex.hop &&
    s.tabId === ex.tabId &&
    s.openerTabId === ex.openerTabId &&
    s.frameId === ex.frameId &&
    s.parentFrameId === ex.parentFrameId &&
    s.type === ex.type &&
    s.method === ex.method &&
    s.url === ex.url &&
    s.rewrittenFrom === ex.rewrittenFrom &&
    s.initiator === ex.initiator &&
    s.startedAt === ex.startedAt &&
    s.completedAt === ex.completedAt &&
    s.phase === ex.phase &&
    s.status === ex.status &&
    s.statusText === ex.statusText &&
    s.location === ex.location &&
    s.responseHeaders === ex.responseHeaders &&
    s.requestCookies === ex.requestCookies &&
    s.setCookieNames === ex.setCookieNames &&
    s.form === ex.form &&
    s.body === ex.body &&
    s.error === ex.error &&
    s.partial === ex.partial &&
    s.secretFacts === ex.secretFacts &&
    sameHeaders(s.headers, ex.responseHeaders) &&
    s.bodyText === ex.body?.text &&
    s.bodyMimeType === ex.body?.mimeType &&
    s.bodyTruncated === ex.body?.truncated &&
    s.cookieCount === ex.requestCookies?.count &&
    s.cookieBytes === ex.requestCookies?.bytes &&
    s.cookieNames === ex.requestCookies?.names
  );
}
