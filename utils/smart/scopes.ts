/**
 * SMART scopes, v1 (`patient/Observation.read`) and v2 (`patient/Observation.rs`, granular
 * `patient/Observation.rs?category=laboratory`), plus the non-resource scopes (`launch`, `openid`…).
 * v1 `.read` and v2 `.rs` are the same permission, so comparisons work on normalised permission sets.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type ScopeKind = 'resource' | 'launch' | 'identity' | 'refresh' | 'other';
/** v2 permission letters in their required order. */
export const V2_LETTERS = 'cruds';

export interface Scope {
  raw: string;
  kind: ScopeKind;
  /** v1 for read/write/*, v2 for cruds letters; undefined for non-resource scopes. */
  version?: 'v1' | 'v2';
  context?: ScopeContext;
  /** Resource type or `*`. */
  resourceType?: string;
  /** Normalised permission letters, in `cruds` order. */
  permissions?: string;
  /** Granular query (`category=laboratory`) without the `?`. */
  query?: string;
  wildcard: boolean;
  /** Why a scope that looks like a resource scope is malformed. */
  problem?: string;
}

const RESOURCE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([A-Za-z*]+)(?:\?(.*))?$/;
const IDENTITY = new Set(['openid', 'fhirUser', 'profile']);
const REFRESH = new Set(['offline_access', 'online_access']);

/** Scopes longer than this are not parsed (a scope string is user-controlled). */
const MAX_SCOPE_CHARS = 2048;
/** Scopes parsed from one scope string; the rest are not (a longer list is counted as more than this). */
export const MAX_SCOPES = 2000;

export function parseScope(raw: string): Scope {
  if (raw === 'launch' || raw.startsWith('launch/')) return { raw, kind: 'launch', wildcard: false };
  if (IDENTITY.has(raw)) return { raw, kind: 'identity', wildcard: false };
  if (REFRESH.has(raw)) return { raw, kind: 'refresh', wildcard: false };
  const m = raw.length <= MAX_SCOPE_CHARS ? RESOURCE.exec(raw) : null;
  if (!m) {
    const looksResource = /^(patient|user|system)\//.test(raw);
    return looksResource
      ? { raw, kind: 'resource', wildcard: raw.includes('*'), problem: 'not a valid SMART resource scope' }
      : { raw, kind: 'other', wildcard: false };
  }
  const [, context = '', resourceType = '', suffix = '', query] = m;
  const perm = permissionsOf(suffix);
  const scope: Scope = {
    raw,
    kind: 'resource',
    context: context as ScopeContext,
    resourceType,
    wildcard: resourceType === '*' || suffix === '*',
  };
  if (perm.version) scope.version = perm.version;
  if (perm.letters !== undefined) scope.permissions = perm.letters;
  if (perm.problem) scope.problem = perm.problem;
  if (query !== undefined) {
    scope.query = query;
    if (perm.version === 'v1') scope.problem = 'granular queries are only defined for v2 scopes';
  }
  return scope;
}

function permissionsOf(suffix: string): { version?: 'v1' | 'v2'; letters?: string; problem?: string } {
  if (suffix === 'read') return { version: 'v1', letters: 'rs' };
  if (suffix === 'write') return { version: 'v1', letters: 'cud' };
  if (suffix === '*') return { version: 'v1', letters: 'cruds' };
  let last = -1;
  for (const ch of suffix) {
    const at = V2_LETTERS.indexOf(ch);
    if (at <= last) {
      return { version: 'v2', problem: `"${suffix}" is not an in-order subset of "cruds"` };
    }
    last = at;
  }
  return { version: 'v2', letters: suffix };
}

/** Scope strings repeat across launches of one app; parsed lists are cached (read-only) by string. */
const cache = new Map<string, readonly Scope[]>();
const CACHE_MAX = 256;

/** Split a scope string on whitespace (also `+`, which survives when a value was not form-decoded). */
export function parseScopes(scopeString: string | undefined): Scope[] {
  if (!scopeString) return [];
  const hit = cache.get(scopeString);
  if (hit) return hit as Scope[];
  const out: Scope[] = [];
  const seen = new Set<string>();
  for (const raw of scopeString.split(/[\s+]+/)) {
    if (!raw || seen.has(raw)) continue;
    seen.add(raw);
    out.push(Object.freeze(parseScope(raw)));
    if (out.length >= MAX_SCOPES) break;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(scopeString, Object.freeze(out));
  return out;
}

/** Identity of a resource scope's meaning, so `.read` and `.rs` compare equal. */
function meaningKey(s: Scope): string {
  return s.kind === 'resource' && s.permissions !== undefined
    ? `${s.context}/${s.resourceType}.${s.permissions}?${s.query ?? ''}`
    : s.raw;
}

/** Same meaning: `patient/Observation.read` ≈ `patient/Observation.rs`. */
export function equivalent(a: Scope, b: Scope): boolean {
  if (a.kind !== 'resource' || b.kind !== 'resource') return a.raw === b.raw;
  return (
    a.context === b.context &&
    a.resourceType === b.resourceType &&
    a.permissions === b.permissions &&
    (a.query ?? '') === (b.query ?? '')
  );
}

/** True when `granted` gives at least what `requested` asks for. */
export function covers(granted: Scope, requested: Scope): boolean {
  if (requested.kind !== 'resource' || granted.kind !== 'resource') return granted.raw === requested.raw;
  if (granted.permissions === undefined || requested.permissions === undefined)
    return granted.raw === requested.raw;
  if (granted.context !== requested.context) return false;
  if (granted.resourceType !== '*' && granted.resourceType !== requested.resourceType) return false;
  for (const ch of requested.permissions) if (!granted.permissions.includes(ch)) return false;
  return granted.query === undefined || granted.query === requested.query;
}

export interface ScopeDiff {
  requested: Scope[];
  granted: Scope[];
  /** Requested but not covered by anything granted. */
  missing: Scope[];
  /** Granted though not requested. */
  extra: Scope[];
  /** Requested but not among the server's `scopes_supported` (only when that list is known). */
  unsupported: Scope[];
  /** Requested scopes that use wildcards. */
  wildcards: Scope[];
  /** Requested scopes that are malformed. */
  malformed: Scope[];
}

export function diffScopes(requested: Scope[], granted: Scope[] | undefined, supported?: Scope[]): ScopeDiff {
  const g = granted ?? [];
  const missing = granted ? requested.filter((r) => !g.some((s) => covers(s, r))) : [];
  const extra = g.filter((s) => !requested.some((r) => covers(s, r) || covers(r, s)));
  let unsupported: Scope[] = [];
  if (supported?.length) {
    const known = new Set<string>();
    for (const s of supported) {
      known.add(s.raw);
      known.add(meaningKey(s));
    }
    unsupported = requested.filter((r) => !known.has(r.raw) && !known.has(meaningKey(r)));
  }
  return {
    requested,
    granted: g,
    missing,
    extra,
    unsupported,
    wildcards: requested.filter((r) => r.wildcard),
    malformed: requested.filter((r) => r.problem !== undefined),
  };
}

/** Which context the request asks data for: patient-level resource scopes need a patient in context. */
export function needsPatientContext(scopes: Scope[]): boolean {
  return scopes.some((s) => s.kind === 'resource' && s.context === 'patient');
}

/** The v2 spelling of a v1 scope (and vice versa where one exists), for showing equivalents. */
export function alternateSpelling(scope: Scope): string | undefined {
  if (scope.kind !== 'resource' || !scope.permissions || scope.query) return undefined;
  const head = `${scope.context}/${scope.resourceType}`;
  if (scope.version === 'v1') return `${head}.${scope.permissions}`;
  const v1 =
    scope.permissions === 'rs'
      ? 'read'
      : scope.permissions === 'cud'
        ? 'write'
        : scope.permissions === 'cruds'
          ? '*'
          : undefined;
  return v1 ? `${head}.${v1}` : undefined;
}
