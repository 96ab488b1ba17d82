import type { DecodedParam, DecodedUrl } from '../model';
import { decodeComponent, looksEncoded } from './percent';
import { parseQuery } from './query';
import { splitUrl } from './split';

/** Nested URL-valued parameters (`to=` inside `to=`…) are expanded at most this deep. */
export const MAX_NESTING_DEPTH = 4;
/** A value that is still percent-encoded after decoding is decoded again at most this many times. */
const MAX_EXTRA_DECODES = 3;

const ABSOLUTE_URL = /^https?:\/\//i;

/**
 * Decode a URL into its base and parameters, expanding URL-valued parameters (`to=`, `redirect_uri`,
 * `aud`, `iss`, …) recursively so that Oracle's session-api hop, whose `to=` carries the authorize URL
 * (sometimes double-encoded), reads like the authorize request it wraps. Never throws.
 */
export function decodeUrl(url: string, depth = 0): DecodedUrl {
  const parts = splitUrl(url);
  // The parsed pairs are ours alone: each becomes its decoded parameter in place.
  const { params, warnings } = parseQuery(parts.query) as { params: DecodedParam[]; warnings: string[] };
  for (const p of params) expandParam(p, depth);
  if (warnings.length) {
    params.push({ name: '', value: '', warnings });
  }
  return { base: parts.base, host: parts.host, path: parts.path, params, length: url.length };
}

/** Expand a URL-valued parameter (a parsed query pair: name, value, warnings) in place. */
function expandParam(param: DecodedParam, depth: number): void {
  const value = param.value;
  // Fast path: most values are neither URLs nor still encoded.
  const first = value.charCodeAt(0);
  if (first !== 104 && first !== 72 && first !== 47 && !value.includes('%')) return; // h H /
  let candidate = value;
  let extra = 0;
  while (extra < MAX_EXTRA_DECODES && !isUrlLike(candidate) && looksEncoded(candidate)) {
    const next = decodeComponent(candidate, false);
    if (next.warning || next.value === candidate) break;
    candidate = next.value;
    extra++;
  }
  if (!isUrlLike(candidate)) return;
  if (extra > 0) {
    param.value = candidate;
    param.warnings = [...(param.warnings ?? []), `value was percent-encoded ${extra + 1} times`];
  }
  if (depth + 1 > MAX_NESTING_DEPTH) {
    param.warnings = [
      ...(param.warnings ?? []),
      `nesting deeper than ${MAX_NESTING_DEPTH} levels not expanded`,
    ];
    return;
  }
  param.nested = decodeUrl(candidate, depth + 1);
}

function isUrlLike(value: string): boolean {
  return ABSOLUTE_URL.test(value) || (value.startsWith('/') && value.includes('?'));
}

/** First value of a top-level parameter. */
export function getParam(decoded: DecodedUrl | undefined, name: string): string | undefined {
  if (!decoded) return undefined;
  for (const p of decoded.params) if (p.name === name) return p.value;
  return undefined;
}

/** Depth-first search through nested URLs; returns the first match and the chain of parameter names. */
export function findParamDeep(
  decoded: DecodedUrl | undefined,
  name: string,
): { param: DecodedParam; path: string[] } | undefined {
  if (!decoded) return undefined;
  for (const p of decoded.params) if (p.name === name) return { param: p, path: [] };
  for (const p of decoded.params) {
    const inner = findParamDeep(p.nested, name);
    if (inner) return { param: inner.param, path: [p.name, ...inner.path] };
  }
  return undefined;
}

/** The nested URL carried by a parameter (`to`, `redirect_uri`…), if any. */
export function nestedUrl(decoded: DecodedUrl | undefined, name: string): DecodedUrl | undefined {
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
