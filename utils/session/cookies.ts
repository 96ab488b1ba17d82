import type { OriginParseResult } from './origin';
import type { BrowserCookie, CookieInfo, PartitionKey } from './types';

type Origin = Extract<OriginParseResult, { ok: true }>;

export function cookieId(
  c: Pick<BrowserCookie, 'storeId' | 'domain' | 'path' | 'name' | 'partitionKey'>,
): string {
  const key = c.partitionKey;
  return JSON.stringify([
    c.storeId,
    c.domain,
    c.path,
    c.name,
    key?.topLevelSite ?? null,
    key?.hasCrossSiteAncestor ?? null,
  ]);
}

export function describeCookie(c: BrowserCookie): CookieInfo {
  return {
    id: cookieId(c),
    name: c.name,
    domain: c.domain,
    path: c.path,
    hostOnly: c.hostOnly,
    secure: c.secure,
    ...(c.partitionKey?.topLevelSite ? { partitionSite: c.partitionKey.topLevelSite } : {}),
    size: new TextEncoder().encode(c.name + c.value).length,
    ...(c.expirationDate !== undefined && !c.session ? { expires: c.expirationDate } : {}),
  };
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * How a cookie relates to the origin, following RFC 6265 domain matching:
 * 'host'   — host-only cookie of this host, or Domain= exactly this host (sent here and to subdomains);
 * 'parent' — Domain= a parent domain (sent here *and* to every sibling host);
 * null     — not sent to this origin at all (sibling host, unrelated domain, Secure over plain http).
 * Paths are deliberately ignored: a cookie scoped to /session-api is still part of this origin's session.
 */
export function cookieScope(c: BrowserCookie, origin: Origin): 'host' | 'parent' | null {
  const domain = c.domain.replace(/^\./, '').toLowerCase();
  const host = origin.host.toLowerCase();
  if (c.secure && !origin.secure && !LOCAL.has(host)) return null;
  if (c.hostOnly) return domain === host ? 'host' : null;
  if (domain === host) return 'host';
  return host.endsWith(`.${domain}`) ? 'parent' : null;
}

export interface CookieRemoval {
  url: string;
  name: string;
  storeId: string;
  partitionKey?: PartitionKey;
}

/**
 * Arguments for cookies.remove. The URL must domain- and path-match the cookie and use https for Secure
 * cookies; a partitioned cookie needs its complete partitionKey (Chromium silently ignores a partial one).
 */
export function removalFor(c: BrowserCookie, origin: Origin): CookieRemoval {
  const secure = c.secure || origin.secure;
  const host = c.hostOnly ? c.domain : c.domain.replace(/^\./, '');
  const port = new URL(origin.origin).port;
  const hostPort = host === origin.host && port ? `${host}:${port}` : host;
  return {
    url: `${secure ? 'https' : 'http'}://${hostPort}${c.path.startsWith('/') ? c.path : `/${c.path}`}`,
    name: c.name,
    storeId: c.storeId,
    ...(c.partitionKey ? { partitionKey: { ...c.partitionKey } } : {}),
  };
}
