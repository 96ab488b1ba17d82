/** The sandbox's own scope grammar and the grant decisions built on it (no utils/ parser involved). */
import { describe, expect, it } from 'vitest';
import { covers, parseScope, parseScopeList, type ResourceScope } from '../../sandbox/oauth/scope-grammar';
import { accessFor, decideScopes, hasPatientScopes } from '../../sandbox/oauth/scopes';
import type { RegisteredApp } from '../../sandbox/registry';

const resource = (raw: string): ResourceScope => {
  const s = parseScope(raw);
  if (s.kind !== 'resource') throw new Error(`${raw} is ${s.kind}`);
  return s;
};

function app(smartVersion: 'v1' | 'v2', scopes: string[]): RegisteredApp {
  return {
    clientId: 'c',
    appId: 'c',
    name: 'test app',
    persona: 'provider',
    type: 'public',
    smartVersion,
    launchUri: 'https://app.example/launch',
    redirectUris: ['https://app.example/cb'],
    scopes,
  };
}

describe('parseScope', () => {
  it.each([
    ['patient/Observation.read', 'patient', 'Observation', 'v1', 'rs', false],
    ['user/Patient.write', 'user', 'Patient', 'v1', 'cud', false],
    ['system/Encounter.*', 'system', 'Encounter', 'v1', 'cruds', true],
    ['patient/*.read', 'patient', '*', 'v1', 'rs', true],
    ['patient/Observation.rs', 'patient', 'Observation', 'v2', 'rs', false],
    ['user/Condition.cruds', 'user', 'Condition', 'v2', 'cruds', false],
    ['patient/Patient.r', 'patient', 'Patient', 'v2', 'r', false],
    ['user/*.rs', 'user', '*', 'v2', 'rs', true],
  ])('%s → %s %s %s %s wildcard=%s', (raw, context, type, version, permissions, wildcard) => {
    expect(parseScope(raw)).toEqual({
      kind: 'resource',
      raw,
      context,
      resourceType: type,
      version,
      permissions,
      wildcard,
    });
  });

  it('keeps a granular v2 query', () => {
    expect(resource('patient/Observation.rs?category=laboratory')).toMatchObject({
      version: 'v2',
      permissions: 'rs',
      query: 'category=laboratory',
    });
  });

  it.each([
    'patient/Observation.sr', // letters out of cruds order
    'patient/Observation.rr', // repeated letter
    'patient/Observation.x',
    'patient/Observation',
    'patient/observation.read', // FHIR types start upper-case
    'patient/Observation.read?category=laboratory', // v1 has no granular form
    'user/Patient.rs?',
    'system/',
  ])('%s is malformed', (raw) => {
    expect(parseScope(raw).kind).toBe('malformed');
  });

  it('leaves every other word as a plain scope and splits lists on any whitespace', () => {
    expect(
      parseScopeList(' launch\tlaunch/patient  openid\nfhirUser offline_access ').map((s) => s.kind),
    ).toEqual(['plain', 'plain', 'plain', 'plain', 'plain']);
  });
});

describe('covers', () => {
  it.each([
    ['patient/Observation.rs', 'patient/Observation.r', true],
    ['patient/Observation.rs', 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.cruds', 'patient/Observation.rs', true],
    ['patient/Observation.rs', 'patient/Observation.cruds', false],
    ['patient/Observation.rs', 'user/Observation.rs', false],
    ['patient/Observation.rs', 'patient/Condition.rs', false],
    ['patient/Observation.read', 'patient/Observation.rs', false], // versions are not mixed
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs', false],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=vital-signs', false],
    ['patient/*.rs', 'patient/Observation.rs', true],
  ])('%s covers %s: %s', (allowed, asked, expected) => {
    expect(covers(resource(allowed), resource(asked))).toBe(expected);
  });
});

describe('decideScopes (Oracle trimming)', () => {
  const v2 = app('v2', ['launch', 'openid', 'fhirUser', 'patient/Observation.rs', 'patient/Patient.read']);

  it('drops wildcards, v1 scopes on a v2 app, unregistered and malformed scopes, silently', () => {
    const asked =
      'launch openid profile patient/Observation.rs patient/Observation.read patient/*.rs patient/Observation.sr launch+openid patient/Condition.rs';
    expect(decideScopes(asked, v2)).toEqual({
      granted: ['launch', 'openid', 'patient/Observation.rs'],
      dropped: [
        { scope: 'profile', reason: 'not-registered' },
        { scope: 'patient/Observation.read', reason: 'v1-scope-on-v2-app' },
        { scope: 'patient/*.rs', reason: 'wildcard' },
        { scope: 'patient/Observation.sr', reason: 'malformed' },
        { scope: 'launch+openid', reason: 'malformed' },
        { scope: 'patient/Condition.rs', reason: 'not-registered' },
      ],
    });
  });

  it('grants a narrower or granular form of a registered v2 scope', () => {
    expect(
      decideScopes('patient/Observation.r patient/Observation.rs?category=laboratory', v2).granted,
    ).toEqual(['patient/Observation.r', 'patient/Observation.rs?category=laboratory']);
  });

  it('grants v1 scopes to a v1 app', () => {
    const v1 = app('v1', ['patient/Patient.read', 'user/Observation.read']);
    expect(
      decideScopes('patient/Patient.read user/Observation.read user/Observation.write', v1).granted,
    ).toEqual(['patient/Patient.read', 'user/Observation.read']);
  });
});

describe('accessFor and hasPatientScopes', () => {
  it('tells patient-compartment access from any-patient access, per letter', () => {
    const granted = ['patient/Observation.rs', 'user/Patient.read', 'patient/Condition.s'];
    expect(accessFor(granted, 'Observation', 's')).toEqual({ anyPatient: false, ownPatient: true });
    expect(accessFor(granted, 'Patient', 'r')).toEqual({ anyPatient: true, ownPatient: false });
    expect(accessFor(granted, 'Condition', 'r')).toEqual({ anyPatient: false, ownPatient: false });
    expect(accessFor(granted, 'Encounter', 's')).toEqual({ anyPatient: false, ownPatient: false });
  });

  it('does not open a whole type from a granular scope', () => {
    expect(accessFor(['patient/Observation.rs?category=laboratory'], 'Observation', 's')).toEqual({
      anyPatient: false,
      ownPatient: false,
    });
  });

  it('finds patient-level scopes', () => {
    expect(hasPatientScopes(['launch', 'user/Patient.rs'])).toBe(false);
    expect(hasPatientScopes(['launch', 'patient/Patient.rs'])).toBe(true);
  });
});
