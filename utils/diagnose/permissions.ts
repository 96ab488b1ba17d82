/**
 * Host permission match patterns (`https://*.cerner.com/*`, `http://localhost/*`, `http://127.0.0.1:5173/*`,
 * `<all_urls>`) against
 * an origin, to tell whether the browser let the recorder see requests sent from that origin's pages.
 */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === '<all_urls>') return /^(https?|wss?|ftp):\/\//.test(origin);
  const m = /^(\*|https?|wss?):\/\/([^/]*)/.exec(pattern);
  const o = /^([a-z]+):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?/i.exec(origin);
  if (!m || !o) return false;
  const [, pScheme = '', pHost = ''] = m;
  const [, oScheme = '', oHost = '', oPort] = o;
  if (pScheme === '*' ? !/^https?$/.test(oScheme) : pScheme !== oScheme.toLowerCase()) return false;
  // A pattern with a port grants that port only (`http://127.0.0.1:5173/*`); without one, every port.
  const port = /:(\d+)$/.exec(pHost)?.[1];
  if (port && port !== (oPort ?? (oScheme.toLowerCase() === 'https' ? '443' : '80'))) return false;
  const host = oHost.toLowerCase();
  const want = pHost.replace(/:\d+$/, '').toLowerCase();
  if (want === '*') return true;
  if (want.startsWith('*.')) return host === want.slice(2) || host.endsWith(want.slice(1));
  return host === want;
}

export function permitted(patterns: readonly string[], origin: string): boolean {
  return patterns.some((p) => originMatches(p, origin));
}
