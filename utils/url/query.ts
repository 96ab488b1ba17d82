import { type Decoded, decodeComponent } from './percent';

/** At most this many parameters are parsed from one query; the rest is reported, not parsed. */
export const MAX_PARAMS = 1000;
/** Values longer than this are kept cut, with a warning, so a hostile URL cannot blow up memory or time. */
export const MAX_VALUE_CHARS = 64 * 1024;

export interface QueryParam {
  name: string;
  value: string;
  warnings?: string[];
  /** Sent as the name alone (`flag`), without `=`: no value at all, where `flag=` sends an empty one. */
  bare?: true;
}

/**
 * Values that are opaque strings, often Base64: a raw `+` in them is read as a space (form encoding),
 * so the server and the app may read two different values (a state that no longer matches).
 */
const OPAQUE = new Set(['state', 'nonce', 'code', 'code_challenge']);

/**
 * Parse `a=1&b=2` (no leading `?`) into ordered parameters. Never throws: invalid percent-encoding
 * keeps the raw text with a warning, oversized values are cut, repeated names are kept in order.
 */
export function parseQuery(query: string): { params: QueryParam[]; warnings: string[] } {
  const params: QueryParam[] = [];
  const warnings: string[] = [];
  if (!query) return { params, warnings };
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      if (params.length >= MAX_PARAMS) {
        warnings.push(`more than ${MAX_PARAMS} parameters; the rest were not parsed`);
        break;
      }
      params.push(parsePair(query.slice(start, end)));
    }
    start = end + 1;
  }
  return { params, warnings };
}

function parsePair(pair: string): QueryParam {
  const eq = pair.indexOf('=');
  const rawName = eq === -1 ? pair : pair.slice(0, eq);
  let rawValue = eq === -1 ? '' : pair.slice(eq + 1);
  const warnings: string[] = [];
  if (rawValue.length > MAX_VALUE_CHARS) {
    warnings.push(`value of ${rawValue.length} characters cut to ${MAX_VALUE_CHARS}`);
    rawValue = rawValue.slice(0, MAX_VALUE_CHARS);
  }
  const name = decodePart(rawName.slice(0, 1024));
  const value = decodePart(rawValue);
  if (typeof name !== 'string' && name.warning) warnings.push(`name: ${name.warning}`);
  if (typeof value !== 'string' && value.warning) warnings.push(value.warning);
  const n = typeof name === 'string' ? name : name.value;
  const v = typeof value === 'string' ? value : value.value;
  if (OPAQUE.has(n) && rawValue.includes('+')) {
    warnings.push(
      'a raw "+" is read as a space (form encoding): a Base64 value needs %2B here, or the server and the app read two different values',
    );
  }
  const param: QueryParam = warnings.length ? { name: n, value: v, warnings } : { name: n, value: v };
  if (eq === -1) param.bare = true;
  return param;
}

/** decodeComponent(), or the text itself when it has nothing to decode (most names and values). */
export function decodePart(raw: string): string | Decoded {
  return raw.includes('%') || raw.includes('+') ? decodeComponent(raw) : raw;
}

/** First value of `name` in form fields as recorded (`Record<string, string[]>`). */
export function formValue(form: Record<string, string[]> | undefined, name: string): string | undefined {
  const values = form?.[name];
  return values && values.length > 0 ? values[0] : undefined;
}

/** Form fields as recorded (`Record<string, string[]>`) from name/value pairs in order; undefined for none. */
export function formFromPairs(
  pairs: Iterable<{ name: string; value?: string }>,
): Record<string, string[]> | undefined {
  // A Map, then own properties: a field named `__proto__` is a field like any other.
  const fields = new Map<string, string[]>();
  for (const { name, value } of pairs) {
    const values = fields.get(name);
    if (values) values.push(value ?? '');
    else fields.set(name, [value ?? '']);
  }
  return fields.size ? Object.fromEntries(fields) : undefined;
}
