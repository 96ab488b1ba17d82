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

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Split without `new URL` (which throws on many inputs a browser would still show and rewrites
 * what it parses). Host is lower-cased, userinfo dropped; relative URLs get an empty host.
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
  const m = SCHEME.exec(rest);
  let scheme = '';
  let host = '';
  let path = rest;
  if (m) {
    scheme = (m[1] ?? '').toLowerCase();
    const afterScheme = rest.slice(m[0].length);
    const slash = afterScheme.indexOf('/');
    const authority = slash === -1 ? afterScheme : afterScheme.slice(0, slash);
    path = slash === -1 ? '/' : afterScheme.slice(slash);
    host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  }
  const base = m ? `${scheme}://${host}${path}` : path;
  return { scheme, host, path, query, fragment, base };
}

/** `scheme://host[:port]` of an absolute URL, or '' for anything else. */
export function originOf(url: string): string {
  const { scheme, host } = splitUrl(url);
  return scheme && host ? `${scheme}://${host}` : '';
}

/** Host without port. */
export function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
