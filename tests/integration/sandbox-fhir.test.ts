/** FHIR hosts: discovery, metadata, Bearer checks (401/403), scope trimming for v2 apps, open server. */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { CookieJar, send } from './sandbox-client';
import { EHR, launchToCallback, MYRECORD, PATIENT, redeem, TENANT } from './sandbox-flow';

let clock = Date.now();
const sandbox = sandboxForFile('sandbox-fhir', { quirk: 'none', now: () => clock });

const jar = new CookieJar();
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function tokenFor(clientId: string, scope: string): Promise<{ access_token: string; scope: string }> {
  const reply = await redeem(sandbox(), await launchToCallback(sandbox(), jar, { clientId, scope }));
  return reply.json();
}

describe('discovery and metadata', () => {
  it('advertises host-qualified endpoints, S256 and v1+v2 scopes without wildcards', async () => {
    for (const [base, persona, host] of [
      [EHR, 'provider', 'fhir-ehr-code.cerner.com'],
      [MYRECORD, 'patient', 'fhir-myrecord.cerner.com'],
    ] as const) {
      const reply = await send(sandbox(), `${base}/.well-known/smart-configuration`, {
        headers: { origin: 'https://x.example' },
      });
      expect(reply.status).toBe(200);
      const conf = reply.json<Record<string, string[] | string>>();
      expect(conf.authorization_endpoint).toBe(
        `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/${persona}/authorize`,
      );
      expect(conf.token_endpoint).toContain(`/hosts/${host}/`);
      expect(conf.code_challenge_methods_supported).toEqual(['S256']);
      expect(conf.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'private_key_jwt']);
      expect(conf.capabilities).toEqual(
        expect.arrayContaining(['launch-ehr', 'permission-v1', 'permission-v2']),
      );
      const scopes = conf.scopes_supported as string[];
      expect(scopes).toEqual(expect.arrayContaining(['patient/Observation.read', 'patient/Observation.rs']));
      expect(scopes.some((s) => s.includes('*'))).toBe(false);
      expect(reply.headers['access-control-allow-origin']).toBe('https://x.example');
    }
  });

  it('serves a CapabilityStatement with the oauth-uris extension', async () => {
    const meta = (await send(sandbox(), `${EHR}/metadata`)).json<{
      rest: { security: { extension: { url: string; extension: { url: string; valueUri: string }[] }[] } }[];
    }>();
    const ext = meta.rest[0]?.security.extension[0];
    expect(ext?.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(ext?.extension.map((e) => e.url)).toEqual(expect.arrayContaining(['authorize', 'token']));
  });

  it('fhir-open has no smart-configuration but answers reads without a token', async () => {
    const open = `https://fhir-open.cerner.com/r4/${TENANT}`;
    expect((await send(sandbox(), `${open}/.well-known/smart-configuration`)).status).toBe(404);
    const patient = await send(sandbox(), `${open}/Patient/${PATIENT}`);
    expect(patient.status).toBe(200);
    expect(patient.headers['content-type']).toContain('application/fhir+json');
  });
});

describe('Bearer checks', () => {
  it('401 with WWW-Authenticate and an OperationOutcome for a missing, bogus or expired token', async () => {
    const none = await send(sandbox(), `${EHR}/Patient/${PATIENT}`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="fhir-ehr-code.cerner.com"');
    const bogus = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, bearer('bogus'));
    expect(bogus.status).toBe(401);
    expect(bogus.headers['www-authenticate']).toBe(
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token"',
    );
    expect(bogus.json()).toMatchObject({ resourceType: 'OperationOutcome' });

    const { access_token } = await tokenFor('sandbox-probe', 'launch patient/Patient.rs');
    expect((await send(sandbox(), `${EHR}/Patient/${PATIENT}`, bearer(access_token))).status).toBe(200);
    expect((await send(sandbox(), `${MYRECORD}/Patient/${PATIENT}`, bearer(access_token))).status).toBe(401);
    clock += 571_000;
    const expired = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, bearer(access_token));
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('403 insufficient_scope for a resource type no granted scope covers', async () => {
    const { access_token } = await tokenFor('sandbox-probe', 'launch patient/Patient.rs');
    const reply = await send(sandbox(), `${EHR}/Observation?patient=${PATIENT}`, bearer(access_token));
    expect(reply.status).toBe(403);
    for (const needle of [
      'urn:cerner:error:oauth2:resource-access:insufficient-scopes',
      'insufficient_scope',
      'no_scope_for_resource_path',
    ])
      expect(reply.body).toContain(needle);
  });

  it('keeps patient-scoped tokens inside the patient in context', async () => {
    const { access_token } = await tokenFor(
      'sandbox-probe',
      'launch patient/Observation.rs patient/Patient.rs',
    );
    const all = (await send(sandbox(), `${EHR}/Observation`, bearer(access_token))).json<{
      entry: { resource: { subject: { reference: string } } }[];
    }>();
    expect(all.entry.length).toBeGreaterThan(0);
    expect(new Set(all.entry.map((e) => e.resource.subject.reference))).toEqual(
      new Set([`Patient/${PATIENT}`]),
    );
    expect((await send(sandbox(), `${EHR}/Patient/12742401`, bearer(access_token))).status).toBe(403);
    const user = await tokenFor('sandbox-probe', 'launch user/Patient.rs');
    expect((await send(sandbox(), `${EHR}/Patient/12742401`, bearer(user.access_token))).status).toBe(200);
  });

  it('answers 404 OperationOutcomes for unknown ids, types and tenants', async () => {
    const { access_token } = await tokenFor('sandbox-probe', 'launch user/Patient.rs');
    for (const url of [
      `${EHR}/Patient/nope`,
      `${EHR}/Basic/1`,
      'https://fhir-ehr-code.cerner.com/r4/other-tenant/Patient/1',
    ]) {
      const reply = await send(sandbox(), url, bearer(access_token));
      expect(reply.status).toBe(404);
      expect(reply.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });
});

describe('scope trimming like Oracle', () => {
  it('drops .read scopes for a v2 app and wildcards for everyone; FHIR then answers 403', async () => {
    const asked = 'launch openid fhirUser patient/Patient.read patient/Observation.read patient/*.rs';
    const token = await tokenFor('sandbox-v2-read-trim', asked);
    expect(token.scope.split(' ').sort()).toEqual(['fhirUser', 'launch', 'openid']);
    const reply = await send(sandbox(), `${EHR}/Patient/${PATIENT}`, bearer(token.access_token));
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('insufficient_scope');
  });

  it('keeps the v2 spelling for the same v2 app', async () => {
    const token = await tokenFor('sandbox-v2-read-trim', 'launch patient/Patient.rs patient/Patient.read');
    expect(token.scope).toBe('launch patient/Patient.rs');
  });

  it('drops scopes the app is not registered for', async () => {
    const token = await tokenFor(
      'sandbox-probe',
      'launch patient/Patient.rs patient/Procedure.rs offline_access_x',
    );
    expect(token.scope).toBe('launch patient/Patient.rs');
  });
});
