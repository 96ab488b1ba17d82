/** Hosts that are also reachable over plain http (local test servers); everything else is https only. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

export type HostParseResult = { ok: true; host: string } | { ok: false; error: string };

/**
 * Accepts what a user types into the options page ("authorization.example.org", or a pasted URL)
 * and returns a bare lower-case hostname suitable for `requestDomains`.
 */
export function parseHost(input: string): HostParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Enter a host name such as authorization.cerner.com.' };
  if (text.length > 253) return { ok: false, error: 'A host name is at most 253 characters long.' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, error: `"${text.slice(0, 80)}" is not a host name.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: 'Only http and https hosts can be rewritten.' };
  }
  const host = url.hostname;
  if (host.startsWith('[') || !/^[a-z0-9.-]+$/.test(host) || host.includes('..') || !/[a-z0-9]$/.test(host)) {
    return { ok: false, error: `"${host.slice(0, 80)}" is not a valid DNS host name.` };
  }
  return { ok: true, host };
}

/** Host permission patterns the extension needs to redirect requests to `host`. */
export function hostPermissionPatterns(host: string): string[] {
  return LOCAL_HOSTS.has(host) ? [`https://${host}/*`, `http://${host}/*`] : [`https://${host}/*`];
}
