import { hostname, splitUrl } from '../url/split';

/**
 * The optional host permission pattern that makes requests sent from a page visible ("Watch this
 * app"): webRequest shows a page's XHR/fetch (the token POST) only with host permission for the
 * page's origin. Ports are not part of match patterns, so `http://localhost:4173` → `http://localhost/*`.
 * Call browser.permissions.request({ origins: [pattern] }) from a page, inside a user gesture.
 */
export function watchPatternFor(urlOrOrigin: string): string | undefined {
  const { scheme, host } = splitUrl(urlOrOrigin);
  if ((scheme !== 'http' && scheme !== 'https') || !host) return undefined;
  const name = hostname(host);
  if (!name || /[*/\s]/.test(name)) return undefined;
  return `${scheme}://${name}/*`;
}
