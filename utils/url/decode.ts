import type { DecodedParam, DecodedUrl } from '../model';
import { decodeComponent, looksEncoded } from './percent';
import { MAX_PARAMS, MAX_VALUE_CHARS, parseQuery } from './query';
import { splitUrl, type UrlParts } from './split';

/** Nested URL-valued parameters (`to=` inside `to=`…) are expanded at most this deep. */
export const MAX_NESTING_DEPTH = 4;
/** A value that is still percent-encoded after decoding is decoded again at most this many times. */
const MAX_EXTRA_DECODES = 3;
/** Parameter names are decoded from at most this many raw characters (utils/url/query.ts). */
const MAX_NAME_CHARS = 1024;

const ABSOLUTE_URL = /^https?:\/\//i;

/**
 * Decode a URL into its base and parameters, expanding URL-valued parameters (`to=`, `redirect_uri`,
 * `aud`, `iss`, …) recursively so that Oracle's session-api hop, whose `to=` carries the authorize URL
 * (sometimes double-encoded), reads like the authorize request it wraps. Never throws.
 */
export function decodeUrl(url: string, depth = 0): DecodedUrl {
  const parts = splitUrl(url);
  return {
    base: parts.base,
    host: parts.host,
    path: parts.path,
    params: decodeParams(parts.query, depth, decodeUrl),
    length: url.length,
  };
}

/**
 * decodeUrl() with its parameters decoded on first read of `params` (an own, enumerable property, so
 * JSON, structuredClone and spreads see the same object as decodeUrl's). getParam(), hasParam() and
 * nestedUrl() read one parameter from the raw query without decoding the others: analysis reads a
 * few parameters of most URLs, the UI the whole tree of a few.
 */
export function lazyDecodeUrl(
  url: string,
  parts: Pick<UrlParts, 'base' | 'host' | 'path' | 'query'> = splitUrl(url),
  depth = 0,
): DecodedUrl {
  return new LazyUrl(parts.base, parts.host, parts.path, parts.query, url.length, depth);
}

/** The parsed, expanded parameters of a raw query; `nest` decodes a URL-valued parameter's URL. */
function decodeParams(
  query: string,
  depth: number,
  nest: (url: string, depth: number) => DecodedUrl,
): DecodedParam[] {
  // The parsed pairs are ours alone: each becomes its decoded parameter in place.
  const { params, warnings } = parseQuery(query) as { params: DecodedParam[]; warnings: string[] };
  for (const p of params) expandParam(p, depth, nest);
  if (warnings.length) {
    params.push({ name: '', value: '', warnings });
  }
  return params;
}

/** Expand a URL-valued parameter (a parsed query pair: name, value, warnings) in place. */
function expandParam(
  param: DecodedParam,
  depth: number,
  nest: (url: string, depth: number) => DecodedUrl,
): void {
  const url = urlValue(param.value);
  if (!url) return;
  if (url.extra > 0) {
    param.value = url.value;
    param.warnings = [...(param.warnings ?? []), `value was percent-encoded ${url.extra + 1} times`];
  }
  if (depth + 1 > MAX_NESTING_DEPTH) {
    param.warnings = [
      ...(param.warnings ?? []),
      `nesting deeper than ${MAX_NESTING_DEPTH} levels not expanded`,
    ];
    return;
  }
  param.nested = nest(url.value, depth + 1);
}

/**
 * A decoded value that is a URL, decoded again while it still looks percent-encoded (`extra` times);
 * undefined when it is no URL.
 */
function urlValue(value: string): { value: string; extra: number } | undefined {
  // Fast path: most values are neither URLs nor still encoded.
  const first = value.charCodeAt(0);
  if (first !== 104 && first !== 72 && first !== 47 && !value.includes('%')) return undefined; // h H /
  let candidate = value;
  let extra = 0;
  while (extra < MAX_EXTRA_DECODES && !isUrlLike(candidate) && looksEncoded(candidate)) {
    const next = decodeComponent(candidate, false);
    if (next.warning || next.value === candidate) break;
    candidate = next.value;
    extra++;
  }
  return isUrlLike(candidate) ? { value: candidate, extra } : undefined;
}

function isUrlLike(value: string): boolean {
  return ABSOLUTE_URL.test(value) || (value.startsWith('/') && value.includes('?'));
}

/** How many names LazyUrl.value() remembers. */
const CACHED = 8;

/** Set up once by LazyUrl's static block: the accessor of every LazyUrl's own `params`. */
let lazyParams: PropertyDescriptor;

class LazyUrl implements DecodedUrl {
  declare base: string;
  declare host: string;
  declare path: string;
  declare params: DecodedParam[];
  declare length: number;
  #query: string;
  #depth: number;
  #params: DecodedParam[] | undefined;
  /** Names and values read by value() (name, value, name, value…), until the parameters are decoded. */
  #cache: (string | undefined)[] | undefined;
  #cached: number;
  /** The last nested URL handed out by nested(), by parameter name. */
  #nestedName: string | undefined;
  #nested: DecodedUrl | undefined;

  constructor(base: string, host: string, path: string, query: string, length: number, depth: number) {
    // In decodeUrl's order, which JSON keeps.
    this.base = base;
    this.host = host;
    this.path = path;
    Object.defineProperty(this, 'params', lazyParams);
    this.length = length;
    this.#query = query;
    this.#depth = depth;
    this.#params = undefined;
    this.#cache = undefined;
    this.#cached = 0;
    this.#nestedName = undefined;
    this.#nested = undefined;
  }

  static {
    lazyParams = {
      get(this: LazyUrl) {
        this.#params ??= decodeParams(this.#query, this.#depth, nestLazily);
        return this.#params;
      },
      set(this: LazyUrl, params: DecodedParam[]) {
        this.#params = params;
      },
      enumerable: true,
      configurable: true,
    };
  }

  /** getParam() of this URL. */
  value(name: string): string | undefined {
    if (this.#params) return scan(this.#params, name)?.value;
    // Analysis reads the same few names again and again (state, client_id, redirect_uri…).
    const cache = this.#cache;
    if (cache) {
      for (let i = 0; i < CACHED * 2; i += 2) if (cache[i] === name) return cache[i + 1];
    }
    const raw = rawValue(this.#query, name);
    let value: string | undefined;
    if (raw === TOO_MANY) value = name === '' ? '' : undefined;
    else if (raw !== undefined) {
      value = decodedText(raw);
      const url = urlValue(value);
      if (url && url.extra > 0) value = url.value;
    }
    // The last CACHED names read, in a ring: one small array, however many names are read.
    if (cache) {
      const at = (this.#cached++ % CACHED) * 2;
      cache[at] = name;
      cache[at + 1] = value;
    } else {
      this.#cache = new Array(CACHED * 2);
      this.#cache[0] = name;
      this.#cache[1] = value;
      this.#cached = 1;
    }
    return value;
  }

  /** hasParam() of this URL. */
  has(name: string): boolean {
    if (this.#params) return scan(this.#params, name) !== undefined;
    const raw = rawValue(this.#query, name);
    return raw === TOO_MANY ? name === '' : raw !== undefined;
  }

  /**
   * findParamDeep() of this URL, decoding only what the search needs: the level that has the name,
   * and the nested URLs it passes through on the way; a URL without the name decodes no parameters.
   */
  findDeep(name: string): { param: DecodedParam; path: string[] } | undefined {
    return this.#findDeep(name, false);
  }

  /** findParamDeep()'s value only: the level that has the name is not decoded either. */
  findValueDeep(name: string): string | undefined {
    return this.#findDeep(name, true)?.param.value;
  }

  #findDeep(name: string, valueOnly: boolean): { param: DecodedParam; path: string[] } | undefined {
    if (this.#params) return findInParams(this.#params, name);
    if (this.has(name)) {
      const param = valueOnly ? { name, value: this.value(name)! } : scan(this.params, name)!;
      return { param, path: [] };
    }
    if (this.#depth + 1 > MAX_NESTING_DEPTH) return undefined;
    const query = this.#query;
    const found = eachPair(query, (start, eq, end) => {
      // Only values that may decode to a URL (urlValue's fast path, on the raw text) are looked into.
      const first = eq === -1 || eq + 1 === end ? -1 : query.charCodeAt(eq + 1);
      if (
        first === -1 ||
        !(first === 104 || first === 72 || first === 47 || query.slice(eq + 1, end).includes('%'))
      ) {
        return undefined;
      }
      const rawName = query.slice(start, Math.min(eq, start + MAX_NAME_CHARS));
      const pname = decodedText(rawName);
      let nested: DecodedUrl | undefined;
      // The first parameter of a name is the one nested() reads (and remembers).
      if (firstPairAt(query, pname) === start) nested = this.nested(pname);
      else {
        const raw = query.slice(eq + 1, end);
        const url = urlValue(decodedText(raw.length > MAX_VALUE_CHARS ? raw.slice(0, MAX_VALUE_CHARS) : raw));
        if (url) nested = nestLazily(url.value, this.#depth + 1);
      }
      const inner =
        valueOnly && nested instanceof LazyUrl ? nested.#findDeep(name, true) : findParamDeep(nested, name);
      return inner ? { param: inner.param, path: [pname, ...inner.path] } : undefined;
    });
    return found === TOO_MANY ? undefined : found;
  }

  /** nestedUrl() of this URL. */
  nested(name: string): DecodedUrl | undefined {
    if (this.#params) return scan(this.#params, name)?.nested;
    if (this.#nestedName === name) return this.#nested;
    const raw = rawValue(this.#query, name);
    let nested: DecodedUrl | undefined;
    if (raw !== undefined && raw !== TOO_MANY && this.#depth + 1 <= MAX_NESTING_DEPTH) {
      const url = urlValue(decodedText(raw));
      if (url) nested = nestLazily(url.value, this.#depth + 1);
    }
    this.#nestedName = name;
    this.#nested = nested;
    return nested;
  }
}

function nestLazily(url: string, depth: number): DecodedUrl {
  return lazyDecodeUrl(url, splitUrl(url), depth);
}

function scan(params: readonly DecodedParam[], name: string): DecodedParam | undefined {
  for (const p of params) if (p.name === name) return p;
  return undefined;
}

/** Returned by rawValue() when the name is not among the first MAX_PARAMS parameters and more follow. */
const TOO_MANY: unique symbol = Symbol('too many');

/**
 * The raw value of the first parameter whose decoded name is `name`, as parseQuery() would parse it
 * (the same pairs, the same limits), without decoding any value.
 */
function rawValue(query: string, name: string): string | typeof TOO_MANY | undefined {
  const plain = isPlainName(name);
  // A plain name is found only in its own text unless some name is escaped (which takes a `%`): one
  // native search answers most lookups of a name the URL lacks. (Absent and TOO_MANY read the same to
  // every caller for a name that is not empty.)
  if (plain && name !== '' && query.indexOf(name) === -1 && query.indexOf('%') === -1) return undefined;
  // The first `%` at or after the pair's start (-1: none), looked up again only once passed.
  let percent = -2;
  return eachPair(query, (start, eq, end) => {
    const nameEnd = eq === -1 ? end : eq;
    const length = nameEnd - start;
    let matches: boolean;
    if (plain && length <= MAX_NAME_CHARS) {
      // A plain name (see isPlainName) is matched by the same text, or by a longer one that decoding
      // shortens, which takes a `%`: no character-by-character look for escapes.
      if (length === name.length) matches = query.startsWith(name, start);
      else if (length < name.length) matches = false;
      else {
        if (percent !== -1 && percent < start) percent = query.indexOf('%', start);
        matches = percent !== -1 && percent < nameEnd && decodedText(query.slice(start, nameEnd)) === name;
      }
    } else matches = nameMatches(query, start, nameEnd, name);
    if (!matches) return undefined;
    if (eq === -1) return '';
    const value = query.slice(eq + 1, end);
    return value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value;
  });
}

/**
 * No `%`, `+` or space: a raw name of the same length decodes to it only as the same text (decoding
 * shortens `%XX`, and `+` becomes a space), and a longer one only if it has a `%`.
 */
function isPlainName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 37 || c === 43 || c === 32) return false; // % + space
  }
  return true;
}

/** Where the first pair whose decoded name is `name` starts in the query (rawValue's pair), or -1. */
function firstPairAt(query: string, name: string): number {
  const at = eachPair(query, (start, eq, end) =>
    nameMatches(query, start, eq === -1 ? end : eq, name) ? start : undefined,
  );
  return typeof at === 'number' ? at : -1;
}

/**
 * Walks the pairs of `query` as parseQuery() splits them (empty ones skipped, at most MAX_PARAMS), calling
 * `visit(start, eq, end)` (eq: the pair's `=`, -1 without one) until it returns something other than
 * undefined, which is then returned; TOO_MANY when the pairs run past MAX_PARAMS first. The one walk that
 * rawValue, firstPairAt and findDeep share, so they read the same pairs as parseQuery.
 */
function eachPair<T>(
  query: string,
  visit: (start: number, eq: number, end: number) => T | undefined,
): T | typeof TOO_MANY | undefined {
  let start = 0;
  let count = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      if (count >= MAX_PARAMS) return TOO_MANY;
      count++;
      let eq = query.indexOf('=', start);
      if (eq >= end) eq = -1;
      const out = visit(start, eq, end);
      if (out !== undefined) return out;
    }
    start = end + 1;
  }
  return undefined;
}

/** The raw name query[start, end) decodes to `name` (as parseQuery decodes names). */
function nameMatches(query: string, start: number, end: number, name: string): boolean {
  const length = end - start;
  if (length <= MAX_NAME_CHARS) {
    // Decoding never lengthens a name (`+` is one character, `%XX` at most one or two).
    if (name.length > length) return false;
    // Plain text decodes to itself.
    if (!hasEscapes(query, start, end)) return length === name.length && query.startsWith(name, start);
  }
  return decodedText(query.slice(start, Math.min(end, start + MAX_NAME_CHARS))) === name;
}

function hasEscapes(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 || c === 43) return true; // % +
  }
  return false;
}

/** decodePart()'s text, without its warning. */
function decodedText(raw: string): string {
  if (!raw.includes('%')) return raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  return decodeComponent(raw).value;
}

/** First value of a top-level parameter. */
export function getParam(decoded: DecodedUrl | undefined, name: string): string | undefined {
  if (!decoded) return undefined;
  if (decoded instanceof LazyUrl) return decoded.value(name);
  for (const p of decoded.params) if (p.name === name) return p.value;
  return undefined;
}

/** True when the URL has a top-level parameter of that name. */
export function hasParam(decoded: DecodedUrl | undefined, name: string): boolean {
  if (!decoded) return false;
  if (decoded instanceof LazyUrl) return decoded.has(name);
  return scan(decoded.params, name) !== undefined;
}

/** Depth-first search through nested URLs; returns the first match and the chain of parameter names. */
export function findParamDeep(
  decoded: DecodedUrl | undefined,
  name: string,
): { param: DecodedParam; path: string[] } | undefined {
  if (!decoded) return undefined;
  if (decoded instanceof LazyUrl) return decoded.findDeep(name);
  return findInParams(decoded.params, name);
}

function findInParams(
  params: readonly DecodedParam[],
  name: string,
): { param: DecodedParam; path: string[] } | undefined {
  for (const p of params) if (p.name === name) return { param: p, path: [] };
  for (const p of params) {
    const inner = findParamDeep(p.nested, name);
    if (inner) return { param: inner.param, path: [p.name, ...inner.path] };
  }
  return undefined;
}

/** The value findParamDeep() finds, decoding no more of a lazily decoded URL than the search needs. */
export function findParamValueDeep(decoded: DecodedUrl | undefined, name: string): string | undefined {
  if (decoded instanceof LazyUrl) return decoded.findValueDeep(name);
  return findParamDeep(decoded, name)?.param.value;
}

/** The nested URL carried by a parameter (`to`, `redirect_uri`…), if any. */
export function nestedUrl(decoded: DecodedUrl | undefined, name: string): DecodedUrl | undefined {
  if (decoded instanceof LazyUrl) return decoded.nested(name);
  return decoded?.params.find((p) => p.name === name)?.nested;
}

/** Every warning met anywhere in the decoded tree, prefixed with the parameter path. */
export function collectWarnings(decoded: DecodedUrl, prefix = ''): string[] {
  const out: string[] = [];
  for (const p of decoded.params) {
    const where = prefix ? `${prefix} › ${p.name}` : p.name || '(query)';
    for (const w of p.warnings ?? []) out.push(`${where}: ${w}`);
    if (p.nested) out.push(...collectWarnings(p.nested, where));
  }
  return out;
}
