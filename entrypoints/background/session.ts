import type { Runtime } from 'webextension-polyfill';
import type { Handlers } from '../../utils/messages/dispatch';
import type { sessionMessages } from '../../utils/messages/session';
import { clearSession, planSessionClear, type SessionPorts } from '../../utils/session/clear';
import { parseOrigin } from '../../utils/session/origin';
import type { BrowserCookie } from '../../utils/session/types';

/**
 * The one place where the polyfill's Firefox-derived cookie types meet Chromium's: Chromium's
 * partitionKey carries hasCrossSiteAncestor, which must be passed back unchanged on removal.
 */
interface CookieApi {
  getAll(details: { partitionKey?: object }): Promise<BrowserCookie[]>;
  remove(details: { url: string; name: string; storeId?: string; partitionKey?: object }): Promise<unknown>;
}

interface BrowsingDataApi {
  remove(options: { origins: string[] }, dataToRemove: Record<string, boolean>): Promise<void>;
}

export function browserSessionPorts(): SessionPorts {
  const cookies = browser.cookies as unknown as CookieApi;
  const browsingData = browser.browsingData as unknown as BrowsingDataApi;
  return {
    // The plain query omits partitioned cookies; `partitionKey: {}` asks for every partition.
    getAllCookies: async () => [
      ...(await cookies.getAll({})),
      ...(await cookies.getAll({ partitionKey: {} })),
    ],
    removeCookie: (details) => cookies.remove(details),
    // Never `cookies: true` here: with an origins filter Chromium clears cookies of the whole registrable domain.
    removeOriginStorage: (origin, kinds) =>
      browsingData.remove({ origins: [origin] }, Object.fromEntries(kinds.map((k) => [k, true]))),
  };
}

function requireOrigin(input: string) {
  const origin = parseOrigin(input);
  if (!origin.ok) throw new Error(origin.error);
  return origin;
}

export function createSessionHandlers(
  ports: SessionPorts = browserSessionPorts(),
): Handlers<typeof sessionMessages, Runtime.MessageSender> {
  return {
    'session/plan': ({ origin }) => planSessionClear(ports, requireOrigin(origin)),
    'session/clear': ({ origin, parentDomainCookies }) =>
      clearSession(ports, requireOrigin(origin), parentDomainCookies),
  };
}
