import type { Exchange } from '../model';
import { cookieSummary, setCookieName } from '../redact/headers';
import type { HeaderLine } from './events';
import { SELECTED_RESPONSE_HEADERS } from './state';

/**
 * Whether applyResponse reads a header of this name: the cookies and the selected response headers.
 * Listeners pass on only these, so the journal does not carry headers the reducer drops anyway.
 */
export function isReadHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'cookie' || lower === 'set-cookie' || SELECTED_RESPONSE_HEADERS.has(lower);
}

/**
 * The scheme of an Authorization header (`Basic`, `Bearer`, `DPoP`…), without its credentials; '' for
 * an empty one. Listeners pass on only this (entrypoints/background/listeners.ts).
 */
export function authScheme(value: string | undefined): string {
  return /^\s*([A-Za-z][\w.+-]{0,30})/.exec(value ?? '')?.[1] ?? '';
}

/** Fold request/response header lines into an exchange: selected headers, cookie names and counts only. */
export function applyResponse(
  ex: Exchange,
  e: { statusLine?: string; responseHeaders?: HeaderLine[]; requestHeaders?: HeaderLine[] },
): void {
  if (e.statusLine) {
    const text = /^\S+\s+\d{3}\s*(.*)$/.exec(e.statusLine)?.[1];
    if (text) ex.statusText = text;
  }
  if (e.requestHeaders) ex.requestAuth = '';
  for (const h of e.requestHeaders ?? []) {
    const name = h.name.toLowerCase();
    if (name === 'cookie' && h.value !== undefined) ex.requestCookies = cookieSummary(h.value);
    // The scheme only, even from an event that carried more (a journal of an older version).
    else if (name === 'authorization') ex.requestAuth = authScheme(h.value);
  }
  const setCookies: string[] = [];
  for (const h of e.responseHeaders ?? []) {
    const name = h.name.toLowerCase();
    if (name === 'set-cookie') {
      if (h.value) setCookies.push(setCookieName(h.value));
    } else if (SELECTED_RESPONSE_HEADERS.has(name) && h.value !== undefined) {
      ex.responseHeaders[name] = h.value;
      if (name === 'location' && ex.location === undefined) ex.location = h.value;
    }
  }
  if (setCookies.length) ex.setCookieNames = [...new Set([...(ex.setCookieNames ?? []), ...setCookies])];
}
