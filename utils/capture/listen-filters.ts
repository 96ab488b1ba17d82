import { hostPermissionPatterns } from '../dnr/hosts';

/**
 * Which URLs each webRequest listener is registered for. Every listener, and every extra option
 * (`extraHeaders`, `requestBody`), costs the browser work on each matching request, so each one covers
 * only what the capture reads from it:
 *
 * * `watch`: Oracle hosts, the authorization servers from the options and the origins the user let us
 *   watch — redirect, completion (with the selected response headers) and errors, and the start of
 *   frame navigations;
 * * `auth`: the authorization servers only — the start of every request, and Cookie / Set-Cookie, which
 *   need `extraHeaders` (the session-api diagnosis reads the cookies sent there);
 * * `body`: token endpoints (`…token…` in the path) and frame navigations on watched hosts — form bodies
 *   (`grant_type`, `code_verifier`, the login form's field names) need `requestBody`.
 */
export interface ListenFilters {
  watch: string[];
  auth: string[];
  body: string[];
}

/** Oracle Health hosts: watched from the first instant of every worker start (the manifest grants them). */
export const ORACLE_PATTERNS = ['https://*.cerner.com/*'];
/** The authorization server watched before the options have been read. */
export const DEFAULT_AUTH_HOSTS = ['authorization.cerner.com'];
/** Frame navigations carry login and SAML form posts; other types' bodies matter only at token paths. */
export const FRAME_TYPES = ['main_frame', 'sub_frame'] as const;

/** Navigations worth waking the worker for: Oracle hosts, launch URLs (iss=), callbacks (state=). */
export const NAV_FILTER = {
  url: [{ hostSuffix: 'cerner.com' }, { queryContains: 'iss=' }, { queryContains: 'state=' }],
};

/**
 * The session-api navigations the strip rule may rewrite (entrypoints/background/rules.ts counts its
 * rewrites); the host list is enforced by the rule itself.
 */
export const SESSION_API_FILTER = {
  urls: ['*://*/session-api/realm/*'],
  types: [...FRAME_TYPES],
};

/** Granted patterns that can appear in a webRequest filter (no `<all_urls>` widening to ftp/ws). */
function usable(pattern: string): boolean {
  return /^(\*|https?):\/\/[^/]+\/.*$/.test(pattern);
}

/** `https://host/…` → `https://host/*token*` (a match pattern's path part also covers the query). */
export function tokenPattern(pattern: string): string {
  return pattern.replace(/^([^:]+:\/\/[^/]+)\/.*$/, '$1/*token*');
}

/**
 * The filters for the current options and permissions. `granted` are the host permission patterns held
 * (`permissions.getAll().origins`); `authHosts` the hostnames configured as authorization servers.
 */
export function listenFilters(granted: readonly string[], authHosts: readonly string[]): ListenFilters {
  const auth = [...new Set(authHosts.flatMap((h) => hostPermissionPatterns(h.toLowerCase())))];
  const watch = [...new Set([...ORACLE_PATTERNS, ...auth, ...granted.filter(usable)])];
  return { watch, auth, body: watch.map(tokenPattern) };
}

/**
 * The optional host permissions of the manifest (wxt.config.ts): the app origins a user may let us watch.
 * The browser delivers webRequest events only for hosts the extension holds, so listening to all of them
 * costs nothing for the ones not granted.
 */
export const OPTIONAL_ORIGIN_PATTERNS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];

/**
 * The filters used until options and permissions have been read (synchronously at worker start): every
 * origin the user may have granted, so the request that wakes a stopped worker — an app's token request
 * included — is never missed. They narrow to the granted origins once those are read.
 */
export const START_FILTERS: ListenFilters = listenFilters(OPTIONAL_ORIGIN_PATTERNS, DEFAULT_AUTH_HOSTS);
