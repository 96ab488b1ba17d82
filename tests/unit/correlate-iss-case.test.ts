import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { normBase } from '../../utils/launch/correlate';
import { makeExchange } from '../fixtures/exchange';

/** An iss typed with capitals in its host: the browser requests the host in lower case. */
const APP = 'https://app.example.org';
const ISS = 'https://FHIR.Example.net/r4/Tenant-A';
const FHIR = 'https://fhir.example.net/r4/Tenant-A';
const AUTH = 'https://auth.example.net';

describe('an iss whose host is written in capitals', () => {
  it('normBase() lowers scheme and host, not the path', () => {
    expect(normBase('HTTPS://FHIR.Example.net/r4/Tenant-A/')).toBe('https://fhir.example.net/r4/Tenant-A');
    expect(normBase('https://fhir.example.net/r4')).toBe('https://fhir.example.net/r4');
  });

  it('its discovery and FHIR calls stay in its launch', () => {
    const redirect = encodeURIComponent(`${APP}/auth`);
    const code = 'c0de-0123456789';
    const exchanges = [
      makeExchange({
        id: 'launch',
        url: `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=l1`,
        status: 200,
        startedAt: 1_000,
      }),
      makeExchange({
        id: 'discovery',
        url: `${FHIR}/.well-known/smart-configuration`,
        type: 'xmlhttprequest',
        status: 200,
        startedAt: 1_100,
        body: {
          text: JSON.stringify({
            authorization_endpoint: `${AUTH}/authorize`,
            token_endpoint: `${AUTH}/token`,
          }),
          mimeType: 'application/json',
          truncated: false,
        },
      }),
      makeExchange({
        id: 'authorize',
        url: `${AUTH}/authorize?response_type=code&client_id=app&scope=launch%20user%2FPatient.rs&state=st-0123456789&redirect_uri=${redirect}&aud=${encodeURIComponent(ISS)}&launch=l1`,
        status: 302,
        location: `${APP}/auth?code=${code}&state=st-0123456789`,
        startedAt: 1_200,
      }),
      makeExchange({
        id: 'callback',
        url: `${APP}/auth?code=${code}&state=st-0123456789`,
        status: 200,
        startedAt: 1_300,
      }),
      makeExchange({
        id: 'token',
        url: `${AUTH}/token`,
        method: 'POST',
        type: 'xmlhttprequest',
        status: 200,
        startedAt: 1_400,
        form: { grant_type: ['authorization_code'], code: ['c0d…[15]'], redirect_uri: [`${APP}/auth`] },
      }),
      makeExchange({
        id: 'fhir',
        url: `${FHIR}/Patient/1`,
        type: 'xmlhttprequest',
        status: 200,
        startedAt: 1_500,
      }),
    ];
    const launches = analyze(exchanges, { now: 600_000 });
    expect(launches).toHaveLength(1);
    expect(launches[0]!.steps.map((s) => s.kind)).toEqual([
      'ehr-launch',
      'discovery',
      'authorize',
      'callback',
      'token',
      'fhir',
    ]);
  });
});
