import { parseScopes, type Scope } from '../../../utils/smart/scopes';
import { DEFAULT_RESOURCE_TYPES } from './scope-presets';

export interface SmokeRead {
  resourceType: string;
  interaction: 'read' | 'search';
  /** Relative to the FHIR base, e.g. `Patient/123` or `Observation?patient=123`; absent when skipped. */
  path?: string;
  /** Whether a granted scope allows it; requested-but-not-granted types are still tried to show the 403. */
  granted: boolean;
  /** `granted` was assumed: the token response named no scope (taken as granted as requested). */
  grantAssumed?: true;
  skipReason?: string;
}

export interface SmokeContext {
  requested: string;
  /** The token's `scope`; undefined means the server did not say (treated as "as requested"). */
  granted: string | undefined;
  patientId?: string;
  encounterId?: string;
  /** `Practitioner/123`, `Patient/456` (relative, or absolute: only the last two segments count). */
  fhirUser?: string;
}

function resourceTypes(scopes: Scope[]): string[] {
  const out = new Set<string>();
  for (const s of scopes) {
    if (s.kind !== 'resource' || !s.resourceType || s.problem) continue;
    if (s.resourceType === '*') for (const t of DEFAULT_RESOURCE_TYPES) out.add(t);
    else out.add(s.resourceType);
  }
  return [...out];
}

function allows(scopes: Scope[], type: string, letter: 'r' | 's'): boolean {
  return scopes.some(
    (s) =>
      s.kind === 'resource' &&
      (s.resourceType === type || s.resourceType === '*') &&
      !!s.permissions?.includes(letter),
  );
}

/** `Practitioner/123` from `https://…/r4/<tenant>/Practitioner/123` or `Practitioner/123`. */
export function fhirUserRef(fhirUser: string | undefined): { type: string; id: string } | undefined {
  const m = fhirUser ? /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})\/?$/.exec(fhirUser) : null;
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}

function order(a: string, b: string): number {
  const known = DEFAULT_RESOURCE_TYPES as readonly string[];
  const ia = known.indexOf(a);
  const ib = known.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/** One read or search per resource type named by the requested or granted scopes. */
export function planSmokeReads(ctx: SmokeContext): SmokeRead[] {
  const requested = parseScopes(ctx.requested);
  const granted = ctx.granted === undefined ? requested : parseScopes(ctx.granted);
  const types = [...new Set([...resourceTypes(granted), ...resourceTypes(requested)])].sort(order);
  const user = fhirUserRef(ctx.fhirUser);
  const pid = ctx.patientId && encodeURIComponent(ctx.patientId);
  const assumed = ctx.granted === undefined ? ({ grantAssumed: true } as const) : {};
  return types.map((type): SmokeRead => {
    const read = (id: string): SmokeRead => ({
      resourceType: type,
      interaction: 'read',
      path: `${type}/${encodeURIComponent(id)}`,
      granted: allows(granted, type, 'r'),
      ...assumed,
    });
    const search = (query: string): SmokeRead => ({
      resourceType: type,
      interaction: 'search',
      path: `${type}?${query}`,
      granted: allows(granted, type, 's'),
      ...assumed,
    });
    const skip = (interaction: SmokeRead['interaction'], skipReason: string): SmokeRead => ({
      resourceType: type,
      interaction,
      granted: allows(granted, type, interaction === 'read' ? 'r' : 's'),
      skipReason,
    });
    if (type === 'Patient') {
      if (ctx.patientId) return read(ctx.patientId);
      if (user?.type === 'Patient') return read(user.id);
      return skip('read', 'no patient in context');
    }
    if (type === user?.type) return read(user.id);
    if (type === 'Practitioner') return skip('read', 'no Practitioner in context (fhirUser)');
    if (type === 'Encounter' && ctx.encounterId) return read(ctx.encounterId);
    if (pid) return search(`patient=${pid}`);
    return skip('search', 'needs a patient in context (patient-compartment search)');
  });
}
