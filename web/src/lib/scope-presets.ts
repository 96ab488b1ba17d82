import type { ServerEntry } from './config-schema';

/** The resource types the companion reads by default (what Oracle's sandbox data covers). */
export const DEFAULT_RESOURCE_TYPES = [
  'Patient',
  'Encounter',
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationRequest',
  'Practitioner',
] as const;

export type SmartVersion = 'v1' | 'v2';
export type LaunchKind = 'ehr' | 'standalone';

/**
 * A known-good scope string for a persona and SMART version. Oracle drops `.read` scopes for apps
 * registered as v2 and drops wildcards always, so presets spell every type out in the app's version.
 */
export function scopePreset(
  persona: ServerEntry['persona'],
  version: SmartVersion,
  kind: LaunchKind,
): string {
  const read = version === 'v1' ? 'read' : 'rs';
  const context = kind === 'ehr' ? 'launch' : persona === 'patient' ? 'launch/patient' : '';
  const identity = ['openid', 'fhirUser', persona === 'patient' ? 'offline_access' : 'online_access'];
  const level = persona === 'provider' ? 'user' : 'patient';
  const resources = DEFAULT_RESOURCE_TYPES.map((t) => `${level}/${t}.${read}`);
  return [context, ...identity, ...resources].filter(Boolean).join(' ');
}

/**
 * A configured (EHR-launch) scope adapted for a standalone launch: a bare `launch` without a launch
 * parameter makes Oracle fail (`launch:launch-code-required`), and a patient app needs `launch/patient`.
 */
export function standaloneScope(scope: string, persona: ServerEntry['persona']): string {
  const out = scope.split(/\s+/).filter((s) => s && s !== 'launch');
  if (persona === 'patient' && !out.includes('launch/patient')) out.unshift('launch/patient');
  return out.join(' ');
}
