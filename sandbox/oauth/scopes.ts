/**
 * Oracle's scope handling: wildcards are dropped, `.read`/`.write` (v1) scopes are dropped for apps
 * registered as SMART v2, and anything the app is not registered for is dropped — all silently, so the
 * token's `scope` is a subset of what was asked. Scopes are read by ./scope-grammar (the sandbox's own).
 */
import type { RegisteredApp } from '../registry';
import { covers, isResource, type ParsedScope, parseScopeList } from './scope-grammar';

export type DropReason = 'wildcard' | 'malformed' | 'v1-scope-on-v2-app' | 'not-registered';

export interface ScopeDecision {
  granted: string[];
  dropped: { scope: string; reason: DropReason }[];
}

function dropReason(scope: ParsedScope, app: RegisteredApp, allowed: ParsedScope[]): DropReason | undefined {
  if (scope.kind === 'malformed') return 'malformed';
  if (scope.kind === 'plain') return allowed.some((a) => a.raw === scope.raw) ? undefined : 'not-registered';
  if (scope.wildcard) return 'wildcard';
  if (app.smartVersion === 'v2' && scope.version === 'v1') return 'v1-scope-on-v2-app';
  return allowed.some((a) => isResource(a) && covers(a, scope)) ? undefined : 'not-registered';
}

export function decideScopes(requested: string, app: RegisteredApp): ScopeDecision {
  const allowed = parseScopeList(app.scopes);
  const out: ScopeDecision = { granted: [], dropped: [] };
  // Oracle splits on spaces only; `+` stays part of a scope when the request was not form-encoded.
  for (const scope of parseScopeList(requested)) {
    const reason = scope.raw.includes('+') ? 'malformed' : dropReason(scope, app, allowed);
    if (reason) out.dropped.push({ scope: scope.raw, reason });
    else out.granted.push(scope.raw);
  }
  return out;
}

export function hasPatientScopes(scopes: string[]): boolean {
  return parseScopeList(scopes).some((s) => isResource(s) && s.context === 'patient');
}

export interface Access {
  /** A user/system scope grants it for any patient. */
  anyPatient: boolean;
  /** A patient scope grants it inside the token's patient compartment. */
  ownPatient: boolean;
}

/** Which granted scopes allow `letter` (r = read, s = search) on a resource type. */
export function accessFor(scopes: string[], resourceType: string, letter: 'r' | 's'): Access {
  const access: Access = { anyPatient: false, ownPatient: false };
  for (const s of parseScopeList(scopes)) {
    // A granular scope (`?category=…`) never opens the whole type.
    if (!isResource(s) || s.query !== undefined) continue;
    if ((s.resourceType !== resourceType && s.resourceType !== '*') || !s.permissions.includes(letter))
      continue;
    if (s.context === 'patient') access.ownPatient = true;
    else access.anyPatient = true;
  }
  return access;
}
