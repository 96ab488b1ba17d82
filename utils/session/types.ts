/**
 * Cookie fields as chrome.cookies reports them, declared here so utils/ stays free of browser typings.
 * `partitionKey.hasCrossSiteAncestor` exists in Chromium ≥ 130 and must be passed back on removal.
 */
export interface PartitionKey {
  topLevelSite?: string;
  hasCrossSiteAncestor?: boolean;
}

export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly?: boolean;
  session?: boolean;
  expirationDate?: number;
  storeId: string;
  partitionKey?: PartitionKey;
}

/** What the UI may show about a cookie: never its value. */
export interface CookieInfo {
  /** Stable identity: store, domain, path, name and partition. */
  id: string;
  name: string;
  domain: string;
  path: string;
  hostOnly: boolean;
  secure: boolean;
  /** Top-level site of a partitioned (CHIPS) cookie. */
  partitionSite?: string;
  /** Bytes of name + value, what it adds to the Cookie header. */
  size: number;
  /** Expiry in seconds since the epoch; absent for session cookies. */
  expires?: number;
}

/** Per-origin storage cleared with browsingData (origins filter; cookies are handled one by one). */
export const STORAGE_KINDS = ['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export interface ClearPlan {
  origin: string;
  host: string;
  /** Host-only cookies and cookies whose Domain is exactly the host, in every partition: always removed. */
  hostCookies: CookieInfo[];
  /** Cookies set on a parent domain (e.g. .cerner.com): sent to every sibling host, removed only when ticked. */
  parentDomainCookies: CookieInfo[];
  storage: StorageKind[];
}

export interface ClearReport {
  origin: string;
  removed: CookieInfo[];
  /** Cookies that could not be removed, or were still present when read back. */
  failed: { cookie: CookieInfo; reason: string }[];
  /** Parent-domain cookies left in place because they were not ticked. */
  kept: CookieInfo[];
  storage: { cleared: StorageKind[]; error?: string };
}
