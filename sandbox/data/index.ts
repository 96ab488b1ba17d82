/** Synthetic FHIR data (no real PHI) and the sandbox's login users, loaded from the JSON files beside this one. */
import { readFileSync } from 'node:fs';
import type { Persona } from '../config';

export const RESOURCE_TYPES = [
  'Patient',
  'Encounter',
  'Practitioner',
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationRequest',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface FhirResource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

export interface SandboxUser {
  username: string;
  password: string;
  persona: Persona;
  resourceType: 'Practitioner' | 'Patient';
  id: string;
  name: string;
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface FhirData {
  all(type: ResourceType): FhirResource[];
  read(type: ResourceType, id: string): FhirResource | undefined;
  users: SandboxUser[];
}

export function loadData(): FhirData {
  const byType = new Map<string, FhirResource[]>(RESOURCE_TYPES.map((t) => [t, load<FhirResource[]>(t)]));
  return {
    all: (type) => byType.get(type) ?? [],
    read: (type, id) => byType.get(type)?.find((r) => r.id === id),
    users: load<SandboxUser[]>('users'),
  };
}

export function isResourceType(value: string): value is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(value);
}

/** The patient a resource belongs to (its compartment), or undefined for Practitioner. */
export function patientOf(resource: FhirResource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const ref = (resource.subject ?? resource.patient) as { reference?: string } | undefined;
  const m = /^Patient\/(.+)$/.exec(ref?.reference ?? '');
  return m?.[1];
}
