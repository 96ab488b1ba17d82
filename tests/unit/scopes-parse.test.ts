import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alternateSpelling,
  covers,
  diffScopes,
  equivalent,
  needsPatientContext,
  parseScope,
  parseScopes,
} from '../../utils/smart/scopes';

describe('parseScope', () => {
  it.each([
    [
      'patient/Observation.read',
      {
        kind: 'resource',
        version: 'v1',
        context: 'patient',
        resourceType: 'Observation',
        permissions: 'rs',
        wildcard: false,
      },
    ],
    ['user/Patient.write', { kind: 'resource', version: 'v1', permissions: 'cud' }],
    [
      'system/*.*',
      { kind: 'resource', version: 'v1', resourceType: '*', permissions: 'cruds', wildcard: true },
    ],
    ['patient/*.read', { wildcard: true, permissions: 'rs' }],
    ['patient/Observation.rs', { version: 'v2', permissions: 'rs', wildcard: false }],
    ['patient/Observation.cruds', { version: 'v2', permissions: 'cruds' }],
    [
      'patient/Observation.rs?category=laboratory',
      { version: 'v2', permissions: 'rs', query: 'category=laboratory' },
    ],
    ['launch', { kind: 'launch' }],
    ['launch/patient', { kind: 'launch' }],
    ['openid', { kind: 'identity' }],
    ['fhirUser', { kind: 'identity' }],
    ['offline_access', { kind: 'refresh' }],
    ['something-else', { kind: 'other' }],
  ])('%s', (raw, expected) => {
    expect(parseScope(raw)).toMatchObject({ raw, ...expected });
    expect(parseScope(raw).problem).toBeUndefined();
  });

  it.each([
    ['patient/Observation.sr', 'in-order'],
    ['patient/Observation.rr', 'in-order'],
    ['patient/Observation.read?category=x', 'only defined for v2'],
    ['patient/Obs-ervation.read', 'not a valid'],
  ])('flags malformed %s', (raw, problem) => {
    expect(parseScope(raw).problem).toContain(problem);
  });
});

describe('comparisons', () => {
  const s = parseScope;
  it('treats v1 .read and v2 .rs as equivalent but not .r', () => {
    expect(equivalent(s('patient/Observation.read'), s('patient/Observation.rs'))).toBe(true);
    expect(equivalent(s('patient/Observation.read'), s('patient/Observation.r'))).toBe(false);
    expect(equivalent(s('user/Observation.read'), s('patient/Observation.rs'))).toBe(false);
    expect(alternateSpelling(s('patient/Observation.read'))).toBe('patient/Observation.rs');
    expect(alternateSpelling(s('patient/Observation.rs'))).toBe('patient/Observation.read');
    expect(alternateSpelling(s('patient/Observation.r'))).toBeUndefined();
  });

  it('covers: wildcard and supersets grant narrower requests', () => {
    expect(covers(s('patient/*.read'), s('patient/Observation.rs'))).toBe(true);
    expect(covers(s('patient/Observation.cruds'), s('patient/Observation.read'))).toBe(true);
    expect(covers(s('patient/Observation.rs'), s('patient/Observation.rs?category=vital-signs'))).toBe(true);
    expect(covers(s('patient/Observation.rs?category=vital-signs'), s('patient/Observation.rs'))).toBe(false);
    expect(covers(s('patient/Observation.r'), s('patient/Observation.read'))).toBe(false);
  });

  it('diffs requested, granted and supported scopes', () => {
    const requested = parseScopes(
      'launch openid fhirUser patient/Patient.read patient/*.read user/Practitioner.rs bogus/x',
    );
    const granted = parseScopes('launch openid fhirUser patient/Patient.rs');
    const supported = parseScopes(
      'launch openid fhirUser patient/Patient.read patient/Patient.rs user/Practitioner.read',
    );
    const d = diffScopes(requested, granted, supported);
    expect(d.missing.map((x) => x.raw)).toEqual(['patient/*.read', 'user/Practitioner.rs', 'bogus/x']);
    expect(d.extra).toEqual([]);
    expect(d.unsupported.map((x) => x.raw)).toEqual(['patient/*.read', 'bogus/x']);
    expect(d.wildcards.map((x) => x.raw)).toEqual(['patient/*.read']);
    expect(diffScopes(requested, undefined).missing).toEqual([]);
    expect(needsPatientContext(requested)).toBe(true);
    expect(needsPatientContext(parseScopes('user/Patient.read openid'))).toBe(false);
  });

  it('splits on any whitespace and "+", dropping duplicates', () => {
    expect(parseScopes(' a\tb+c  a\n').map((x) => x.raw)).toEqual(['a', 'b', 'c']);
    expect(parseScopes(undefined)).toEqual([]);
  });
});

describe('properties', () => {
  it('never throws; every parsed resource scope covers itself and its alternate spelling', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (str) => {
        for (const sc of parseScopes(str)) {
          if (!sc.problem) expect(covers(sc, sc)).toBe(true);
          const alt = alternateSpelling(sc);
          if (alt) expect(equivalent(parseScope(alt), sc)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
  it('granting exactly what was requested leaves nothing missing', () => {
    const scope = fc
      .tuple(
        fc.constantFrom('patient', 'user', 'system'),
        fc.constantFrom('Patient', 'Observation', '*'),
        fc.constantFrom('read', 'write', '*', 'r', 'rs', 'cruds', 'cu'),
      )
      .map(([c, t, p]) => `${c}/${t}.${p}`);
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 20 }), (list) => {
        const req = parseScopes(list.join(' '));
        expect(diffScopes(req, req).missing).toEqual([]);
      }),
    );
  });
});
