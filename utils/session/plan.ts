import { cookieId, cookieScope, describeCookie } from './cookies';
import type { OriginParseResult } from './origin';
import { type BrowserCookie, type ClearPlan, STORAGE_KINDS } from './types';

type Origin = Extract<OriginParseResult, { ok: true }>;

/** Cookies read from several getAll calls may overlap (partitioned and unpartitioned queries). */
export function uniqueCookies(cookies: BrowserCookie[]): BrowserCookie[] {
  const seen = new Map<string, BrowserCookie>();
  for (const c of cookies) seen.set(cookieId(c), c);
  return [...seen.values()];
}

export interface ClearSelection {
  /** Cookies always removed (this host's own). */
  host: BrowserCookie[];
  /** Parent-domain cookies the user ticked. */
  parent: BrowserCookie[];
  /** Parent-domain cookies left alone. */
  kept: BrowserCookie[];
}

function byDomainThenName(a: BrowserCookie, b: BrowserCookie): number {
  return a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path);
}

export function selectCookies(
  cookies: BrowserCookie[],
  origin: Origin,
  tickedParentIds: string[],
): ClearSelection {
  const ticked = new Set(tickedParentIds);
  const selection: ClearSelection = { host: [], parent: [], kept: [] };
  for (const c of uniqueCookies(cookies).sort(byDomainThenName)) {
    const scope = cookieScope(c, origin);
    if (scope === 'host') selection.host.push(c);
    else if (scope === 'parent') (ticked.has(cookieId(c)) ? selection.parent : selection.kept).push(c);
  }
  return selection;
}

/** What "Clear session" would remove, for the confirmation list (names, domains, sizes; no values). */
export function planClear(cookies: BrowserCookie[], origin: Origin): ClearPlan {
  const { host, kept } = selectCookies(cookies, origin, []);
  return {
    origin: origin.origin,
    host: origin.host,
    hostCookies: host.map(describeCookie),
    parentDomainCookies: kept.map(describeCookie),
    storage: [...STORAGE_KINDS],
  };
}
