import { describe, expect, it } from 'vitest';
import { fhirUserRef, planSmokeReads } from '../../web/src/lib/smoke-plan';
import { classifyFhirResponse, runSmokeRead } from '../../web/src/lib/smoke-run';

const rows = (plan: ReturnType<typeof planSmokeReads>) =>
  plan.map(
    (r) => `${r.resourceType} ${r.path ?? `skip:${r.skipReason}`} ${r.granted ? 'granted' : 'denied'}`,
  );

describe('smoke-read planning', () => {
  it('reads the context patient and searches the patient compartment for each granted type', () => {
    const plan = planSmokeReads({
      requested:
        'launch openid fhirUser user/Patient.read user/Observation.read user/Practitioner.read user/Encounter.read',
      granted:
        'launch openid fhirUser user/Patient.read user/Observation.read user/Practitioner.read user/Encounter.read',
      patientId: '12724066',
      encounterId: '97939518',
      fhirUser: 'https://fhir-ehr-code.cerner.com/r4/t/Practitioner/593923',
    });
    expect(rows(plan)).toEqual([
      'Patient Patient/12724066 granted',
      'Encounter Encounter/97939518 granted',
      'Observation Observation?patient=12724066 granted',
      'Practitioner Practitioner/593923 granted',
    ]);
  });

  it('keeps requested-but-trimmed types so the 403 shows', () => {
    const plan = planSmokeReads({
      requested: 'launch patient/Patient.read patient/Condition.read',
      granted: 'launch fhirUser openid',
      patientId: 'p1',
    });
    expect(rows(plan)).toEqual(['Patient Patient/p1 denied', 'Condition Condition?patient=p1 denied']);
  });

  it('expands a wildcard to the default types and skips what needs missing context', () => {
    const plan = planSmokeReads({ requested: 'user/*.read', granted: 'user/*.read' });
    expect(rows(plan)).toEqual([
      'Patient skip:no patient in context granted',
      'Encounter skip:needs a patient in context (patient-compartment search) granted',
      'Observation skip:needs a patient in context (patient-compartment search) granted',
      'Condition skip:needs a patient in context (patient-compartment search) granted',
      'AllergyIntolerance skip:needs a patient in context (patient-compartment search) granted',
      'MedicationRequest skip:needs a patient in context (patient-compartment search) granted',
      'Practitioner skip:no Practitioner in context (fhirUser) granted',
    ]);
  });

  it('uses v2 letters: .r allows a read but not a search', () => {
    const plan = planSmokeReads({
      requested: 'patient/Patient.r patient/Observation.r',
      granted: undefined,
      patientId: 'p',
    });
    expect(rows(plan)).toEqual(['Patient Patient/p granted', 'Observation Observation?patient=p denied']);
  });

  it('reads the patient from fhirUser in a patient-persona launch without patient context', () => {
    const plan = planSmokeReads({
      requested: 'patient/Patient.rs',
      granted: 'patient/Patient.rs',
      fhirUser: 'Patient/42',
    });
    expect(rows(plan)).toEqual(['Patient Patient/42 granted']);
  });

  it('encodes ids and ignores malformed scopes', () => {
    const plan = planSmokeReads({
      requested: 'patient/Observation.dr patient/Condition.rs',
      granted: undefined,
      patientId: 'a b',
    });
    expect(rows(plan)).toEqual(['Condition Condition?patient=a%20b granted']);
  });

  it.each([
    ['https://fhir-ehr-code.cerner.com/r4/t/Practitioner/593923', { type: 'Practitioner', id: '593923' }],
    ['Patient/12724066', { type: 'Patient', id: '12724066' }],
    ['not a reference', undefined],
    [undefined, undefined],
  ])('fhirUserRef(%s)', (input, out) => {
    expect(fhirUserRef(input)).toEqual(out);
  });
});

describe('smoke-read results', () => {
  const granted = {
    resourceType: 'Observation',
    interaction: 'search',
    path: 'Observation?patient=1',
    granted: true,
  } as const;
  const notGranted = { ...granted, granted: false };
  const insufficient = JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'forbidden',
        diagnostics: 'urn:cerner:error:oauth2:resource-access:insufficient-scopes',
      },
    ],
  });

  it.each([
    [
      granted,
      200,
      JSON.stringify({ resourceType: 'Bundle', total: 7, entry: [] }),
      { status: 'ok', count: 7 },
    ],
    [granted, 200, JSON.stringify({ resourceType: 'Bundle', entry: [{}, {}] }), { status: 'ok', count: 2 }],
    [granted, 200, JSON.stringify({ resourceType: 'Patient', id: '1' }), { status: 'ok', count: 1 }],
    [
      granted,
      403,
      insufficient,
      { status: 'denied', outcome: 'urn:cerner:error:oauth2:resource-access:insufficient-scopes' },
    ],
    [notGranted, 403, insufficient, { status: 'expected-denial', httpStatus: 403 }],
    [granted, 500, 'upstream exploded', { status: 'error', outcome: 'upstream exploded' }],
    [granted, 404, '', { status: 'error', outcome: 'HTTP 404' }],
  ] as const)('%#: HTTP %s', (read, status, body, expected) => {
    expect(classifyFhirResponse(read, status, body)).toMatchObject(expected);
  });

  it('explains insufficient_scope from the WWW-Authenticate header', () => {
    const r = classifyFhirResponse(notGranted, 403, '', 'Bearer realm="x", error="insufficient_scope"');
    expect(r.explanation).toMatch(/^Insufficient scope/);
  });

  it('insufficient_scope for a read the granted scope allows: the server checks another scope than it granted', () => {
    const r = classifyFhirResponse(
      granted,
      403,
      '',
      'Bearer realm="x", error="insufficient_scope", scope="user/Observation.rs"',
    );
    expect(r.status).toBe('denied');
    expect(r.explanation).toBe(
      'Refused for lack of scope, although the scope the server granted allows this search: the server checks another scope than the one it granted (it asks for user/Observation.rs). Server side: enforce the scopes as granted (RFC 6750 §3.1).',
    );
    // No scope in the token response: "granted" was only assumed, and the server did not grant it.
    const assumed = classifyFhirResponse(
      { ...granted, grantAssumed: true },
      403,
      '',
      'Bearer error="insufficient_scope"',
    );
    expect(assumed.explanation).toMatch(/^Refused for lack of scope\. The token response named no scope/);
    expect(
      planSmokeReads({ requested: 'patient/Observation.rs', granted: undefined, patientId: '1' })[0],
    ).toMatchObject({
      granted: true,
      grantAssumed: true,
    });
  });

  it('explains an expired token (401 invalid_token)', () => {
    const r = classifyFhirResponse(
      granted,
      401,
      '',
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token"',
    );
    expect(r).toMatchObject({ status: 'error', httpStatus: 401 });
    expect(r.explanation).toMatch(/^Invalid token/);
  });

  it('sends the bearer token to the FHIR base and reports network failures as CORS/network', async () => {
    const seen: Array<[string, string | null]> = [];
    const fetchOk = (async (url: string, init?: RequestInit) => {
      seen.push([url, new Headers(init?.headers).get('authorization')]);
      return new Response(JSON.stringify({ resourceType: 'Bundle', total: 3 }), { status: 200 });
    }) as typeof fetch;
    const ok = await runSmokeRead(granted, {
      baseUrl: 'https://fhir.example/r4/t/',
      accessToken: 'tok',
      fetch: fetchOk,
    });
    expect(ok).toMatchObject({ status: 'ok', count: 3 });
    expect(seen).toEqual([['https://fhir.example/r4/t/Observation?patient=1', 'Bearer tok']]);

    const fetchFail = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const failed = await runSmokeRead(granted, { baseUrl: 'https://x', accessToken: 't', fetch: fetchFail });
    expect(failed.status).toBe('error');
    expect(failed.outcome).toMatch(/CORS or network/);
  });

  it('does not fetch a skipped read', async () => {
    const r = await runSmokeRead(
      { resourceType: 'Patient', interaction: 'read', granted: true, skipReason: 'no patient in context' },
      {
        baseUrl: 'https://x',
        accessToken: 't',
        fetch: (() => Promise.reject(new Error('called'))) as typeof fetch,
      },
    );
    expect(r).toEqual({ status: 'skipped', outcome: 'no patient in context' });
  });
});
