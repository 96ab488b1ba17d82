/** The parts of a URL, split by hand so that malformed URLs still yield something useful. */
export interface UrlParts {
  scheme: string;
  host: string;
  path: string;
  query: string;
  fragment: string;
  /** The URL without query or fragment. */
  base: string;
}

/**
 * Split without `new URL` (which throws on many inputs a browser would still show and rewrites
 * what it parses). Host is lower-cased, userinfo dropped; relative URLs get an empty host.
 * By hand rather than by regular expression: analysis splits every recorded URL.
 */
export function splitUrl(url: string): UrlParts {
  let rest = url.trim();
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const colon = schemeEnd(rest);
  if (colon === -1) return { scheme: '', host: '', path: rest, query, fragment, base: rest };
  const rawScheme = rest.slice(0, colon);
  const scheme = rawScheme === 'https' || rawScheme === 'http' ? rawScheme : rawScheme.toLowerCase();
  const authorityStart = colon + 3;
  const slash = rest.indexOf('/', authorityStart);
  const authorityEnd = slash === -1 ? rest.length : slash;
  const at = rest.lastIndexOf('@', authorityEnd - 1);
  const hostStart = at >= authorityStart ? at + 1 : authorityStart;
  const rawHost = rest.slice(hostStart, authorityEnd);
  const host = rawHost.toLowerCase();
  const path = slash === -1 ? '/' : rest.slice(slash);
  // The URL up to its query is already the base when nothing above changed it (the usual case).
  const same = slash !== -1 && hostStart === authorityStart && scheme === rawScheme && host === rawHost;
  const base = same ? rest : `${scheme}://${host}${path}`;
  return { scheme, host, path, query, fragment, base };
}

/** Index of the `:` of a leading `scheme://` (`[A-Za-z][A-Za-z0-9+.-]*`), or -1. */
function schemeEnd(text: string): number {
  const first = text.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return -1;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) return text.startsWith('//', i + 1) ? i : -1; // :
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === 46 ||
      c === 45;
    if (!ok) return -1;
  }
  return -1;
}

/** `scheme://host[:port]` of an absolute URL, or '' for anything else (splitUrl's scheme and host). */
export function originOf(url: string): string {
  const text = url.trim();
  let end = text.length;
  const hash = text.indexOf('#');
  if (hash !== -1) end = hash;
  const q = text.indexOf('?');
  if (q !== -1 && q < end) end = q;
  const rest = end === text.length ? text : text.slice(0, end);
  const colon = schemeEnd(rest);
  if (colon === -1) return '';
  const authorityStart = colon + 3;
  const slash = rest.indexOf('/', authorityStart);
  const authorityEnd = slash === -1 ? rest.length : slash;
  const at = rest.lastIndexOf('@', authorityEnd - 1);
  if (authorityEnd === authorityStart) return '';
  // Without userinfo the origin is the URL's start, lower-cased.
  if (at < authorityStart) return rest.slice(0, authorityEnd).toLowerCase();
  const { scheme, host } = splitUrl(url);
  return scheme && host ? `${scheme}://${host}` : '';
}

/** Host without port. */
export function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
