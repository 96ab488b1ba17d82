/**
 * §7 failure classes answered by the FHIR servers (scope trim → 403, expired token → 401, no discovery on
 * fhir-open), driven as the probe app runs them in a browser, with Oracle's wire shape and the rule
 * analyze() names first for the recorded launch.
 */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { APP_ORIGIN, Browser } from './sandbox-browser';
import { ehrLaunch, fhirGet, firstFinding, lastExchange, redeemIn } from './sandbox-browser-flow';
import { EHR, PATIENT, TENANT } from './sandbox-flow';

let clock = Date.now();
const sandbox = sandboxForFile('sandbox-fail-fhir', { quirk: 'none', now: () => clock });
const browser = () => new Browser(sandbox, () => clock);

describe('FHIR servers', () => {
  it('v2 scope trim (sandbox-v2-read-trim): .read dropped, then FHIR 403 insufficient_scope', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, {
      appId: 'sandbox-v2-read-trim',
      authorize: { scope: 'launch openid fhirUser patient/Patient.read patient/Observation.read' },
    });
    const token = (await redeemIn(b, launched)).reply.json<{ access_token: string; scope: string }>();
    expect(token.scope.split(' ').sort()).toEqual(['fhirUser', 'launch', 'openid']);
    const { reply } = await fhirGet(b, `${EHR}/Patient/${PATIENT}`, token.access_token);
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="fhir-ehr-code.cerner.com", error="insufficient_scope", error_uri="urn:cerner:error:oauth2:resource-access:insufficient-scopes"',
    );
    const body = reply.json<{ resourceType: string; issue: { code: string }[] }>();
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.code).toBe('forbidden');
    for (const needle of [
      'urn:cerner:error:oauth2:resource-access:insufficient-scopes',
      'insufficient_scope',
      'no_scope_for_resource_path',
    ])
      expect(reply.body).toContain(needle);
    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe('scopes-trimmed');
    expect(finding?.severity).toBe('error');
  });

  it('token expiry (sandbox-short-token, 30 s): FHIR 401 invalid_token with an OperationOutcome', async () => {
    const b = browser();
    const launched = await ehrLaunch(b, { appId: 'sandbox-short-token' });
    const token = (await redeemIn(b, launched)).reply.json<{ access_token: string; expires_in: number }>();
    expect(token.expires_in).toBe(30);
    expect((await fhirGet(b, `${EHR}/Patient/${PATIENT}`, token.access_token)).reply.status).toBe(200);
    clock += 31_000;
    const { reply } = await fhirGet(b, `${EHR}/Observation?patient=${PATIENT}`, token.access_token);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token"',
    );
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'security' }] });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('token-expired');
  });

  it('discovery failure: iss on fhir-open has no smart-configuration (404)', async () => {
    const b = browser();
    const open = `https://fhir-open.cerner.com/r4/${TENANT}`;
    b.openAppPage(`${APP_ORIGIN}/probe/launch?iss=${encodeURIComponent(open)}`);
    const { reply, blocked } = await b.fetch(`${open}/.well-known/smart-configuration`);
    expect(blocked).toBe(false);
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/fhir+json');
    expect(reply.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('discovery-failure');
  });
});
