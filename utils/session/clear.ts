import { errorMessage } from '../errors';
import { type CookieRemoval, cookieId, describeCookie, removalFor } from './cookies';
import type { OriginParseResult } from './origin';
import { planClear, selectCookies } from './plan';
import {
  type BrowserCookie,
  type ClearPlan,
  type ClearReport,
  STORAGE_KINDS,
  type StorageKind,
} from './types';

type Origin = Extract<OriginParseResult, { ok: true }>;

/** The browser capabilities clearing needs; the background passes browser.cookies/browsingData, tests a fake. */
export interface SessionPorts {
  /** Every cookie the extension can see, partitioned ones included. */
  getAllCookies(): Promise<BrowserCookie[]>;
  /** Resolves to null (or throws) when the browser removed nothing. */
  removeCookie(details: CookieRemoval): Promise<unknown>;
  /** Clears per-origin storage for exactly this origin; must not touch cookies. */
  removeOriginStorage(origin: string, kinds: readonly StorageKind[]): Promise<void>;
}

export async function planSessionClear(ports: SessionPorts, origin: Origin): Promise<ClearPlan> {
  return planClear(await ports.getAllCookies(), origin);
}

const reason = errorMessage;

/**
 * Removes this origin's own cookies, the ticked parent-domain cookies and the origin's storage, then
 * reads the cookies back so that a removal the browser silently ignored is reported, not hidden.
 * The selection is recomputed from fresh cookies, so a stale plan can never remove something else.
 */
export async function clearSession(
  ports: SessionPorts,
  origin: Origin,
  tickedParentIds: string[],
): Promise<ClearReport> {
  const selection = selectCookies(await ports.getAllCookies(), origin, tickedParentIds);
  const targets = [...selection.host, ...selection.parent];
  const failed: ClearReport['failed'] = [];
  const attempted: BrowserCookie[] = [];
  for (const cookie of targets) {
    try {
      const result = await ports.removeCookie(removalFor(cookie, origin));
      if (result === null)
        failed.push({ cookie: describeCookie(cookie), reason: 'The browser reported nothing removed.' });
      else attempted.push(cookie);
    } catch (error) {
      failed.push({ cookie: describeCookie(cookie), reason: reason(error) });
    }
  }
  const remaining = new Set((await ports.getAllCookies()).map(cookieId));
  const removed = attempted.filter((c) => !remaining.has(cookieId(c)));
  for (const c of attempted.filter((c) => remaining.has(cookieId(c)))) {
    failed.push({ cookie: describeCookie(c), reason: 'Still present after removal.' });
  }
  const storage: ClearReport['storage'] = { cleared: [] };
  try {
    await ports.removeOriginStorage(origin.origin, STORAGE_KINDS);
    storage.cleared = [...STORAGE_KINDS];
  } catch (error) {
    storage.error = reason(error);
  }
  return {
    origin: origin.origin,
    removed: removed.map(describeCookie),
    failed,
    kept: selection.kept.map(describeCookie),
    storage,
  };
}
