/**
 * The sandbox's own reading of SMART scopes, independent of the extension's parser in utils/ so that a
 * bug there cannot hide itself in tests that run against the sandbox.
 *
 *   v1  `patient/Observation.read` `.write` `.*`          → permissions rs / cud / cruds
 *   v2  `patient/Observation.rs` (letters an in-order subset of `cruds`), granular `…rs?category=x`
 *   wildcards: `*` as resource type or as the v1 action (Oracle never grants them)
 * Anything else starting with `patient/`, `user/` or `system/` is malformed; other words (`launch`,
 * `openid`, `online_access`…) are plain scopes compared as written.
 */

export type ScopeContext = 'patient' | 'user' | 'system';

export interface ResourceScope {
  kind: 'resource';
  raw: string;
  context: ScopeContext;
  /** A FHIR type, or `*`. */
  resourceType: string;
  version: 'v1' | 'v2';
  /** Letters of `cruds` this scope allows, in that order. */
  permissions: string;
  /** Granular restriction without the `?` (v2 only), e.g. `category=laboratory`. */
  query?: string;
  wildcard: boolean;
}

export type ParsedScope =
  | ResourceScope
  | { kind: 'malformed'; raw: string; reason: string }
  | { kind: 'plain'; raw: string };

const RESOURCE_PREFIX = /^(patient|user|system)\//;
const RESOURCE = /^(patient|user|system)\/([A-Z][A-Za-z]*|\*)\.([a-z]+|\*)(?:\?([^?]+))?$/;
const V1_ACTIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
/** Non-empty, each letter at most once, in c-r-u-d-s order. */
const V2_LETTERS = /^(?=.)c?r?u?d?s?$/;

export function parseScope(raw: string): ParsedScope {
  if (!RESOURCE_PREFIX.test(raw)) return { kind: 'plain', raw };
  const m = RESOURCE.exec(raw);
  if (!m) return { kind: 'malformed', raw, reason: 'not <context>/<Type>.<permissions>' };
  const [, context, resourceType = '', action = '', query] = m;
  const v1 = V1_ACTIONS[action];
  if (v1 === undefined && !V2_LETTERS.test(action))
    return { kind: 'malformed', raw, reason: `"${action}" is neither read/write/* nor a subset of cruds` };
  if (v1 !== undefined && query !== undefined)
    return { kind: 'malformed', raw, reason: 'a v1 scope cannot carry a query' };
  const scope: ResourceScope = {
    kind: 'resource',
    raw,
    context: context as ScopeContext,
    resourceType,
    version: v1 === undefined ? 'v2' : 'v1',
    permissions: v1 ?? action,
    wildcard: resourceType === '*' || action === '*',
  };
  if (query !== undefined) scope.query = query;
  return scope;
}

/** Splits on whitespace, as Oracle does. */
export function parseScopeList(scopes: string | readonly string[]): ParsedScope[] {
  const list = typeof scopes === 'string' ? scopes.split(/\s+/) : scopes;
  return list.filter(Boolean).map(parseScope);
}

/**
 * Whether registering `allowed` lets the app be granted `asked`: same context and version, the same
 * type (or `*`), every asked letter allowed, and the asked query no wider than the allowed one.
 */
export function covers(allowed: ResourceScope, asked: ResourceScope): boolean {
  if (allowed.context !== asked.context || allowed.version !== asked.version) return false;
  if (allowed.resourceType !== '*' && allowed.resourceType !== asked.resourceType) return false;
  if ([...asked.permissions].some((letter) => !allowed.permissions.includes(letter))) return false;
  return allowed.query === undefined || allowed.query === asked.query;
}

export function isResource(scope: ParsedScope): scope is ResourceScope {
  return scope.kind === 'resource';
}
