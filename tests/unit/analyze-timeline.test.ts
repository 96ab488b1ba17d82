import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { fixtureNames, loadExchanges } from '../fixtures/load';

const kinds = (l: Launch) => l.steps.map((s) => (s.failed ? `${s.kind}!` : s.kind));
const ORACLE_START = ['ehr-launch', 'ehr-launch', 'ehr-launch', 'discovery'];
const ORACLE_LOGIN = ['loading-page', 'session-api', 'idp-login', 'idp-login', 'authorize', 'callback'];

describe('analyze: launch timelines of recorded fixtures', () => {
  it('the reported forceAuthn launch fails at the session-api hop', () => {
    const ex = loadExchanges('forceauthn-400');
    const [launch, ...rest] = analyze(ex);
    expect(rest).toHaveLength(0);
    expect(kinds(launch!)).toEqual([...ORACLE_START, 'loading-page', 'session-api!']);
    expect(launch!.status).toBe('failed');
    expect(launch!.failedAt).toBe(ex.at(-1)!.id);
    expect(launch).toMatchObject({
      iss: 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
      tenant: 'ec2458f2-1e24-41c8-b71b-0e701af7583d',
      persona: 'provider',
      clientId: '6c1ab8a4-7b2e-4f3c-9d5e-2f0a7c1b9e44',
      launchParam: '2c0a9f5e-6d1b-4e7a-8c3f-5b9d1e2a7f60',
      authHost: 'authorization.cerner.com',
      redirectUri: 'http://localhost:5173/index.html',
    });
    expect(launch!.steps.map((s) => s.label)).toEqual([
      'EHR app launch (app 6c1a…)',
      'EHR preauth',
      'app launch URL (iss + launch)',
      'discovery (smart-configuration)',
      'authorize (provider) Loading page',
      'session-api realm ec24… forceAuthn',
    ]);
    expect(launch!.steps[0]!.offsetMs).toBe(0);
    expect(launch!.steps.every((s, i, a) => i === 0 || s.offsetMs >= a[i - 1]!.offsetMs)).toBe(true);
    expect(launch!.steps[3]!.durationMs).toBe(80);
  });

  it('a successful Oracle provider launch', () => {
    const [launch] = analyze(loadExchanges('success-oracle'));
    expect(kinds(launch!)).toEqual([...ORACLE_START, ...ORACLE_LOGIN, 'token', 'fhir', 'fhir']);
    expect(launch!.status).toBe('succeeded');
    expect(launch!.failedAt).toBeUndefined();
    expect(launch!.state).toBe('Zm9xYWRkYjM3YzE2NDJhNWE0');
  });

  it.each([
    ['oversized-400', [...ORACLE_START, 'loading-page', 'session-api!'], 'failed'],
    ['unknown-client', [...ORACLE_START, 'authorize', 'error-page!'], 'failed'],
    ['aud-missing', [...ORACLE_START, 'authorize', 'callback!'], 'failed'],
    ['missing-patient', ['standalone-launch', 'discovery', 'authorize', 'callback!'], 'failed'],
    ['scopes-trimmed', [...ORACLE_START, ...ORACLE_LOGIN, 'token', 'fhir!'], 'failed'],
    ['code-reused', [...ORACLE_START, ...ORACLE_LOGIN, 'token', 'fhir', 'fhir', 'token!'], 'failed'],
    ['cors-token', [...ORACLE_START, ...ORACLE_LOGIN, 'token!'], 'failed'],
    ['discovery-fhir-open', [...ORACLE_START.slice(0, 3), 'discovery!'], 'failed'],
    ['lint-generic', ['ehr-launch', 'discovery', 'authorize', 'callback', 'token', 'fhir'], 'succeeded'],
  ])('%s', (name, expected, status) => {
    const launches = analyze(loadExchanges(name));
    expect(launches).toHaveLength(1);
    expect(kinds(launches[0]!)).toEqual(expected);
    expect(launches[0]!.status).toBe(status);
  });

  it('keeps separate launches apart and lists them newest first', () => {
    const a = loadExchanges('success-oracle');
    const b = loadExchanges('forceauthn-400').map((e) => ({
      ...e,
      id: `b-${e.id}`,
      requestId: e.requestId && `b${e.requestId}`,
      startedAt: e.startedAt + 3_600_000,
      completedAt: e.completedAt && e.completedAt + 3_600_000,
    }));
    const launches = analyze([...a, ...b]);
    expect(launches.map((l) => l.status)).toEqual(['failed', 'succeeded']);
    expect(launches[0]!.steps).toHaveLength(6);
    expect(launches[1]!.steps).toHaveLength(13);
  });
});

describe('analyze: properties', () => {
  const names = fixtureNames();
  it('gives the same result whatever order the exchanges arrive in', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer(), (name, seed) => {
        const ex = loadExchanges(name);
        const shuffled = fc.sample(fc.shuffledSubarray(ex, { minLength: ex.length, maxLength: ex.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        expect(analyze(shuffled)).toEqual(analyze(ex));
      }),
      { numRuns: 60 },
    );
  });

  it('never throws when exchanges are dropped, duplicated or mangled', () => {
    const all = names.flatMap((n) => loadExchanges(n));
    fc.assert(
      fc.property(
        fc.subarray(all),
        fc.array(
          fc.record({
            url: fc.string(),
            status: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
          }),
        ),
        (subset, junk) => {
          const mangled = junk.map((j, i) => ({
            ...all[i % all.length]!,
            id: `junk-${i}`,
            url: j.url,
            status: j.status,
          }));
          const launches = analyze([...subset, ...mangled, ...subset.slice(0, 3)]);
          for (const l of launches) expect(l.steps.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
