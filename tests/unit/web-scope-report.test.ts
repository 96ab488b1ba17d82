import { describe, expect, it } from 'vitest';
import { parseScopes } from '../../utils/smart/scopes';
import { scopePreset, standaloneScope } from '../../web/src/lib/scope-presets';
import { buildScopeReport, OTHER_SERVER_TRIM_REASONS, TRIM_REASONS } from '../../web/src/lib/scope-report';

const statuses = (requested: string, granted: string | undefined) =>
  Object.fromEntries(buildScopeReport(requested, granted).rows.map((r) => [r.scope, r.status]));

describe('scope report (requested vs granted)', () => {
  it('marks everything granted when the server grants as requested, v1 and v2 spellings alike', () => {
    const r = buildScopeReport('launch openid patient/Patient.read', 'openid launch patient/Patient.rs');
    expect(r.trimmed).toBe(0);
    expect(r.rows.map((x) => x.status)).toEqual(['granted', 'granted', 'granted']);
    expect(r.rows[2]?.alternate).toBe('patient/Patient.rs');
  });

  it('explains Oracle trimming v1 scopes on a v2 app (granted only fhirUser launch openid)', () => {
    const r = buildScopeReport(
      'launch openid fhirUser patient/Patient.read patient/Observation.read',
      'fhirUser launch openid',
    );
    expect(r.trimmed).toBe(2);
    expect(r.rows.filter((x) => x.status === 'trimmed').map((x) => x.scope)).toEqual([
      'patient/Patient.read',
      'patient/Observation.read',
    ]);
    expect(r.explanations).toEqual([TRIM_REASONS.v1OnV2]);
  });

  it.each([
    ['patient/*.read', 'launch patient/Patient.rs', 'wildcard'],
    ['user/Observation.*', 'user/Patient.read', 'wildcard'],
    ['patient/Condition.rs', 'patient/Patient.read', 'v2OnV1'],
    ['offline_access', 'launch', 'refresh'],
    ['patient/Observation.read', 'patient/Patient.read', 'other'],
  ] as const)('%s trimmed with %s granted → %s', (scope, granted, reason) => {
    const r = buildScopeReport(`launch ${scope}`, granted);
    expect(r.rows.find((x) => x.scope === scope)).toMatchObject({
      status: 'trimmed',
      reason: TRIM_REASONS[reason],
    });
  });

  it('lists granted scopes that were not requested as extra', () => {
    expect(statuses('openid', 'openid profile')).toEqual({ openid: 'granted', profile: 'extra' });
  });

  it('says when the token response carries no scope', () => {
    const r = buildScopeReport('openid launch', undefined);
    expect(r.grantedUnknown).toBe(true);
    expect(r.trimmed).toBe(0);
  });
});

describe('scope presets', () => {
  it.each([
    ['provider', 'v1', 'ehr', 'launch', 'user/Observation.read'],
    ['provider', 'v2', 'ehr', 'launch', 'user/Observation.rs'],
    ['patient', 'v1', 'standalone', 'launch/patient', 'patient/Observation.read'],
    ['patient', 'v2', 'standalone', 'launch/patient', 'patient/MedicationRequest.rs'],
  ] as const)('%s %s %s', (persona, version, kind, context, sample) => {
    const preset = scopePreset(persona, version, kind);
    const scopes = parseScopes(preset);
    expect(preset.split(' ')).toContain(context);
    expect(preset.split(' ')).toContain(sample);
    // No wildcards and one SMART version only: exactly what Oracle grants without trimming.
    expect(scopes.filter((s) => s.wildcard || s.problem)).toEqual([]);
    expect(new Set(scopes.filter((s) => s.kind === 'resource').map((s) => s.version))).toEqual(
      new Set([version]),
    );
  });
});

describe('standalone scope', () => {
  it.each([
    ['launch openid user/Patient.rs', 'provider', 'openid user/Patient.rs'],
    ['launch openid patient/Patient.rs', 'patient', 'launch/patient openid patient/Patient.rs'],
    ['launch/patient  openid', 'patient', 'launch/patient openid'],
  ] as const)('%s (%s) → %s', (scope, persona, out) => {
    expect(standaloneScope(scope, persona)).toBe(out);
  });
});

describe('a refresh scope left out of the granted scope', () => {
  const reason = (issued: boolean) =>
    buildScopeReport('launch openid online_access', 'launch openid', issued).rows.find(
      (r) => r.scope === 'online_access',
    )?.reason;

  it('without a refresh token: not enabled for the app', () => {
    expect(reason(false)).toBe(TRIM_REASONS.refresh);
  });

  it('with a refresh token issued: not "no refresh token", but that fhirclient will not use it', () => {
    expect(reason(true)).toBe(TRIM_REASONS.refreshNotEchoed);
    expect(reason(true)).toMatch(
      /^A refresh token was issued, but the granted scope does not name this scope/,
    );
  });
});

describe('scope trimming on a server that is not Oracle', () => {
  it('names no Oracle rule: a wildcard, a version, a refresh scope left out', () => {
    const foreign = buildScopeReport(
      'launch openid patient/*.read patient/Observation.read offline_access',
      'launch openid patient/Patient.rs',
      false,
      false,
    );
    expect(foreign.explanations).toEqual([
      OTHER_SERVER_TRIM_REASONS.wildcard,
      OTHER_SERVER_TRIM_REASONS.v1OnV2,
      OTHER_SERVER_TRIM_REASONS.refresh,
    ]);
    expect(foreign.explanations.join(' ')).not.toContain('Oracle');
    const oracle = buildScopeReport(
      'launch openid patient/*.read patient/Observation.read offline_access',
      'launch openid patient/Patient.rs',
    );
    expect(oracle.explanations.join(' ')).toContain('Oracle never grants wildcard scopes');
  });
});
