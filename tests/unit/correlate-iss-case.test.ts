import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { normBase } from '../../utils/launch/correlate';
import { makeExchange } from '../fixtures/exchange';
import {
  APP,
  AUTH,
  authorize,
  callback,
  discovery,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/** An iss typed with capitals in its host: the browser requests the host in lower case. */
const ISS = 'https://FHIR.Example.net/r4/Tenant-A';
const FHIR = 'https://fhir.example.net/r4/Tenant-A';

describe('an iss whose host is written in capitals', () => {
  it('normBase() lowers scheme and host, not the path', () => {
    expect(normBase('HTTPS://FHIR.Example.net/r4/Tenant-A/')).toBe('https://fhir.example.net/r4/Tenant-A');
    expect(normBase('https://fhir.example.net/r4')).toBe('https://fhir.example.net/r4');
  });

  it('its discovery and FHIR calls stay in its launch', () => {
    const code = 'c0de-0123456789';
    // The EHR hands the app the iss as typed; the app's requests go to the host in lower case.
    const typed = otherServerFlow({ iss: ISS });
    const requested = otherServerFlow({ iss: FHIR });
    const exchanges = [
      launchPage(typed),
      discovery(requested, smartConfiguration(requested)),
      authorize(typed, 'launch user/Patient.rs', '', {
        status: 302,
        location: `${APP}/auth?code=${code}&state=${typed.state}`,
      }),
      callback(typed, `code=${code}&state=${typed.state}`),
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
