/**
 * Oracle's scope handling: wildcards are dropped, `.read`/`.write` (v1) scopes are dropped for apps
 * registered as SMART v2, and anything the app is not registered for is dropped — all silently, so the
 * token's `scope` is a subset of what was asked. Parsing comes from utils/smart/scopes.
 */
import { covers, parseScopes, type Scope } from '../../utils/smart/scopes';
import type { RegisteredApp } from '../registry';

export type DropReason = 'wildcard' | 'malformed' | 'v1-scope-on-v2-app' | 'not-registered';

export interface ScopeDecision {
  granted: string[];
  dropped: { scope: string; reason: DropReason }[];
}

function dropReason(scope: Scope, app: RegisteredApp, allowed: Scope[]): DropReason | undefined {
  if (scope.wildcard) return 'wildcard';
  if (scope.kind === 'resource') {
    if (scope.problem) return 'malformed';
    if (app.smartVersion === 'v2' && scope.version === 'v1') return 'v1-scope-on-v2-app';
    const ok = allowed.some((a) => a.kind === 'resource' && a.version === scope.version && covers(a, scope));
    return ok ? undefined : 'not-registered';
  }
  return allowed.some((a) => a.raw === scope.raw) ? undefined : 'not-registered';
}

export function decideScopes(requested: string, app: RegisteredApp): ScopeDecision {
  const allowed = parseScopes(app.scopes.join(' '));
  const out: ScopeDecision = { granted: [], dropped: [] };
  // Oracle splits on spaces only; `+` stays part of a scope when the request was not form-encoded.
  const raw = requested.split(/\s+/).filter(Boolean);
  const parsed = parseScopes(raw.filter((s) => !s.includes('+')).join(' '));
  for (const s of raw.filter((r) => r.includes('+'))) out.dropped.push({ scope: s, reason: 'malformed' });
  for (const scope of parsed) {
    const reason = dropReason(scope, app, allowed);
    if (reason) out.dropped.push({ scope: scope.raw, reason });
    else out.granted.push(scope.raw);
  }
  return out;
}

export function hasPatientScopes(scopes: string[]): boolean {
  return parseScopes(scopes.join(' ')).some((s) => s.kind === 'resource' && s.context === 'patient');
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
  for (const s of parseScopes(scopes.join(' '))) {
    if (s.kind !== 'resource' || s.problem || s.query !== undefined) continue;
    if (s.resourceType !== resourceType || !s.permissions?.includes(letter)) continue;
    if (s.context === 'patient') access.ownPatient = true;
    else access.anyPatient = true;
  }
  return access;
}
