/*
 * Counting our own rule's rewrites from webRequest events, which arrive per requestId:
 * - a redirect by the rule on a navigation: onBeforeRequest(url with forceAuthn) → onBeforeRedirect(307,
 *   redirectUrl without it) → onBeforeRequest(clean url) …;
 * - the rule rewriting the *target of a server 302*: no 307 at all, just onBeforeRequest(url with
 *   forceAuthn) followed by onHeadersReceived(url without it) for the same requestId.
 * Both are detected by comparing URLs per requestId. Events may be missing or arrive for unknown ids.
 */

/** True for a session-api URL carrying a top-level forceAuthn key (any letter case). */
export function carriesForceAuthn(url: string): boolean {
  try {
    const u = new URL(url);
    if (!u.pathname.includes('/session-api/realm/')) return false;
    return [...u.searchParams.keys()].some((k) => k.toLowerCase() === 'forceauthn');
  } catch {
    return false;
  }
}

function sameResource(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

export interface Rewrite {
  tabId: number;
  from: string;
  to: string;
}

export interface RequestEvent {
  requestId: string;
  url: string;
  tabId: number;
}

const MAX_PENDING = 500;

export function createRewriteTracker() {
  const pending = new Map<string, RequestEvent>();

  const rewriteOf = (p: RequestEvent, url: string): Rewrite | null =>
    url !== p.url && !carriesForceAuthn(url) && sameResource(p.url, url)
      ? { tabId: p.tabId, from: p.url, to: url }
      : null;

  return {
    beforeRequest(e: RequestEvent): void {
      if (!carriesForceAuthn(e.url)) {
        pending.delete(e.requestId);
        return;
      }
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
      pending.set(e.requestId, e);
    },
    beforeRedirect(e: RequestEvent & { redirectUrl: string; statusCode: number }): Rewrite | null {
      const p = pending.get(e.requestId);
      pending.delete(e.requestId);
      if (!p || p.url !== e.url || e.statusCode !== 307) return null;
      return rewriteOf(p, e.redirectUrl);
    },
    /** onHeadersReceived, or onErrorOccurred/onCompleted for the final URL: closes the request. */
    settled(e: RequestEvent): Rewrite | null {
      const p = pending.get(e.requestId);
      pending.delete(e.requestId);
      return p ? rewriteOf(p, e.url) : null;
    },
    get pendingCount() {
      return pending.size;
    },
  };
}

/** Badge text: empty when off, "on" when on without rewrites in the tab, else the count (capped). */
export function badgeText(enabled: boolean, rewrites: number): string {
  if (!enabled) return '';
  if (rewrites <= 0) return 'on';
  return rewrites > 999 ? '999+' : String(rewrites);
}
