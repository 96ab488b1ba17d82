import type { SessionPorts } from '../../utils/session/clear';
import type { CookieRemoval } from '../../utils/session/cookies';
import type { BrowserCookie, StorageKind } from '../../utils/session/types';

export function cookie(name: string, domain: string, extra: Partial<BrowserCookie> = {}): BrowserCookie {
  const hostOnly = !domain.startsWith('.');
  return {
    name,
    value: `value-of-${name}`,
    domain,
    hostOnly,
    path: '/',
    secure: true,
    storeId: '0',
    ...extra,
  };
}

export const JAR: BrowserCookie[] = [
  cookie('JSESSIONID', 'authorization.cerner.com', { httpOnly: true }),
  cookie('cloud-session-iframe', 'authorization.cerner.com', { path: '/session-api' }),
  cookie('auth-wide', '.authorization.cerner.com'),
  cookie('cerner-sso', '.cerner.com'),
  cookie('cerner-pref', '.cerner.com', { path: '/prefs' }),
  cookie('smart-session', 'smart.cerner.com'),
  cookie('fhir-session', 'fhir-ehr-code.cerner.com'),
  cookie('sub-only', 'x.authorization.cerner.com'),
  cookie('apex-only', 'cerner.com'),
  cookie('lookalike', 'authorization.cerner.com.evil.example'),
  cookie('__Host-chips', 'authorization.cerner.com', {
    partitionKey: { topLevelSite: 'https://cerner.com', hasCrossSiteAncestor: false },
  }),
  cookie('__Host-chips', 'authorization.cerner.com', {
    partitionKey: { topLevelSite: 'https://app.example.org', hasCrossSiteAncestor: true },
  }),
  cookie('smart-chips', 'smart.cerner.com', {
    partitionKey: { topLevelSite: 'https://cerner.com', hasCrossSiteAncestor: false },
  }),
];

/**
 * A cookie jar with Chromium's removal semantics: the URL must domain- and path-match, and a partitioned
 * cookie is only removed when the complete partitionKey (hasCrossSiteAncestor included) is given —
 * otherwise the call "succeeds" and removes nothing.
 */
export function fakeCookieBrowser(initial = JAR, options: { storageFails?: boolean } = {}) {
  let jar = [...initial];
  const storageCalls: { origin: string; kinds: readonly StorageKind[] }[] = [];
  const ports: SessionPorts = {
    getAllCookies: async () => jar.map((c) => ({ ...c })),
    removeCookie: async ({ url, name, storeId, partitionKey }: CookieRemoval) => {
      const u = new URL(url);
      const victim = jar.find((c) => {
        const d = c.domain.replace(/^\./, '');
        const domainOk = c.hostOnly ? u.hostname === d : u.hostname === d || u.hostname.endsWith(`.${d}`);
        const pathOk =
          u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`);
        const keyOk = JSON.stringify(c.partitionKey ?? null) === JSON.stringify(partitionKey ?? null);
        return (
          c.name === name &&
          c.storeId === storeId &&
          domainOk &&
          pathOk &&
          keyOk &&
          (!c.secure || u.protocol === 'https:')
        );
      });
      if (victim) jar = jar.filter((c) => c !== victim);
      return { url, name, storeId };
    },
    removeOriginStorage: async (origin, kinds) => {
      storageCalls.push({ origin, kinds });
      if (options.storageFails) throw new Error('browsingData unavailable');
    },
  };
  return {
    ports,
    storageCalls,
    names: () =>
      jar.map((c) => `${c.name}@${c.domain}${c.partitionKey ? `|${c.partitionKey.topLevelSite}` : ''}`),
  };
}
