import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import {
  APP,
  AUTH,
  authorize,
  callback,
  discovery,
  FHIR,
  ISS,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/**
 * A live launch against another SMART server, the app's origin watched (the Watch fix) but not the
 * authorization and FHIR servers: Chrome shows an extension a page's request only when it may watch
 * both the page and the server the request goes to, so the token request and FHIR calls are invisible.
 * That is no lost state.
 */
const flow = otherServerFlow({
  launchPath: '/launch/',
  redirect: `${APP}/launch/auth`,
  authorizePath: '/oauth2/authorize',
  launch: 'abc123',
  state: 'st-1234567890',
});

function launch(): Exchange[] {
  const back = `${flow.redirect}?code=c0de&state=${flow.state}`;
  return [
    launchPage(flow),
    discovery(flow, smartConfiguration(flow, { capabilities: ['launch-ehr'] })),
    authorize(flow, 'launch openid fhirUser user/Patient.rs', '', { status: 302, location: back }),
    callback(flow, `code=c0de&state=${flow.state}`, { startedAt: 5_000 }),
  ];
}

const NOW = 600_000;
const only = (watched: string[]): Launch => {
  const launches = analyze(launch(), { now: NOW, watchedOrigins: watched });
  expect(launches).toHaveLength(1);
  return launches[0]!;
};

describe('a token request to a server the extension does not watch', () => {
  it('the app origin watched, the servers not: authorized, and one fix watches the servers', () => {
    const l = only([`${APP}/*`]);
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toBe(
      `The code reached ${APP}, but its token request to ${AUTH} was not visible: ${AUTH} is not watched.`,
    );
    expect(l.findings.map((f) => f.ruleId)).not.toContain('state-lost');
    const f = l.findings.find((x) => x.ruleId === 'token-not-visible')!;
    expect(f.summary).toContain(`${AUTH} and ${FHIR} are not watched`);
    expect(f.fixes).toEqual([
      {
        kind: 'watch-origin',
        label: 'Watch auth.example.net and fhir.example.net (needed to see the requests between them)',
        origin: AUTH,
        origins: [AUTH, FHIR],
      },
    ]);
  });

  it('nothing watched: one fix watches the app and both servers', () => {
    const f = only([]).findings.find((x) => x.ruleId === 'token-not-visible')!;
    expect(f.fixes[0]).toMatchObject({ kind: 'watch-origin', origin: APP, origins: [APP, AUTH, FHIR] });
  });

  it('everything watched and still no token request: the app lost its state', () => {
    const l = only([`${APP}/*`, `${AUTH}/*`, `${FHIR}/*`]);
    expect(l.status).toBe('failed');
    expect(l.findings.map((f) => f.ruleId)).toContain('state-lost');
  });
});

describe('a token the app used although its token request was not seen', () => {
  // The authorization server redirected at once (signed in already): only its callback is seen, no
  // authorize, and the discovery read without its body (no DevTools): nothing names the token endpoint.
  function used(p: Partial<Exchange> = {}): Exchange[] {
    const [start, found, , back] = launch();
    const read = makeExchange({
      id: 'fhir-patient',
      url: `${ISS}/Patient/p-1`,
      type: 'xmlhttprequest',
      initiator: APP,
      status: 200,
      startedAt: 6_000,
      completedAt: 6_050,
      ...p,
    });
    return [start!, { ...found!, body: undefined }, back!, read];
  }

  it('FHIR reads after the callback succeeded: succeeded, no lost state, and the server to watch', () => {
    const [l] = analyze(used(), { now: NOW, watchedOrigins: [`${APP}/*`, `${FHIR}/*`] });
    expect(l!.status).toBe('succeeded');
    expect(l!.statusReason).toMatch(
      /^The token request was not recorded .*the FHIR requests the app made after the callback succeeded/,
    );
    expect(l!.findings.map((f) => f.ruleId)).not.toContain('state-lost');
    const f = l!.findings.find((x) => x.ruleId === 'token-not-visible')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('FHIR requests after it succeeded (FHIR GET Patient), so it had a token');
    expect(f.fixes[0]!.label).toMatch(/Add the authorization server's host/);
  });

  it('a FHIR read of another tab, or one refused, is no token of this launch: the state was lost', () => {
    const watched = [`${APP}/*`, `${FHIR}/*`, `${AUTH}/*`];
    for (const other of [{ tabId: 7 }, { status: 401 }]) {
      const [l] = analyze(used(other), { now: NOW, watchedOrigins: watched }).filter((x) =>
        x.steps.some((s) => s.kind === 'callback'),
      );
      expect(l!.findings.map((f) => f.ruleId)).toContain('state-lost');
    }
  });
});

describe('invalid_scope from another authorization server', () => {
  it('the scope its message names is the problem scope; no Oracle error URN is claimed', () => {
    const [start, found, asked] = launch();
    const query = `error=invalid_scope&error_description=${encodeURIComponent('Scope "user/Patient.rs" is not allowed for this client')}&state=st-1234567890`;
    const [l] = analyze(
      [
        start!,
        found!,
        { ...asked!, location: `${APP}/launch/auth?${query}` },
        makeExchange({ id: 'callback', url: `${APP}/launch/auth?${query}`, status: 200, startedAt: 5_000 }),
      ],
      { now: NOW, watchedOrigins: [] },
    );
    const f = l!.findings.find((x) => x.ruleId === 'scope-rejected')!;
    const evidence = Object.fromEntries(f.evidence.map((e) => [e.label, e.value]));
    expect(evidence['problem scopes']).toBe('user/Patient.rs (named by the server)');
    expect(evidence).not.toHaveProperty('server error');
    expect(f.summary).not.toContain('look wrong');
  });
});

describe('access_denied from another authorization server', () => {
  function denied(description?: string): Exchange[] {
    const [start, discovery, authorize] = launch();
    const query = `error=access_denied${description ? `&error_description=${encodeURIComponent(description)}` : ''}&state=st-1234567890`;
    return [
      start!,
      discovery!,
      { ...authorize!, location: `${APP}/launch/auth?${query}` },
      makeExchange({ id: 'callback', url: `${APP}/launch/auth?${query}`, status: 200, startedAt: 5_000 }),
    ];
  }

  it('is cancelled: the user declined, or the server refused, with the server words', () => {
    const [l] = analyze(denied('The user denied access'), { now: NOW, watchedOrigins: [] });
    expect(l!.status).toBe('cancelled');
    const f = l!.findings.find((x) => x.ruleId === 'user-cancelled')!;
    expect(f.title).toBe('Access denied');
    expect(f.summary).toBe(
      'The authorization server answered access_denied instead of a code: the user declined the access the app asked for, or the server refused it. The server said: “The user denied access”.',
    );
    expect(l!.statusReason).toContain(
      'the user declined the access the app asked for, or the server refused it',
    );
  });

  it("on Oracle's servers a bare access_denied is not read as the user's choice (Oracle names its refusals)", async () => {
    const { toCallback } = await import('../fixtures/exchanges/outcomes');
    const { Recorder } = await import('../fixtures/exchanges/oracle-flow');
    const r = new Recorder();
    toCallback(r, 'error=access_denied&state=st-oracle-0123456789');
    const [l] = analyze(r.out);
    expect(l!.status).not.toBe('cancelled');
  });
});

describe('scopes trimmed by another server that advertises SMART v2 scopes only', () => {
  it('no v1 spellings to try, and no word of Oracle registrations or wildcards', () => {
    const asked = 'launch openid patient/Patient.rs patient/Encounter.rs';
    const back = `${flow.redirect}?code=c0de&state=${flow.state}`;
    const exchanges: Exchange[] = [
      launchPage(flow),
      discovery(flow, smartConfiguration(flow, { capabilities: ['launch-ehr', 'permission-v2'] })),
      authorize(flow, asked, '', { status: 302, location: back }),
      callback(flow, `code=c0de&state=${flow.state}`, { startedAt: 1_300 }),
      makeExchange({
        id: 'token',
        url: `${AUTH}/oauth2/token`,
        method: 'POST',
        type: 'fetch',
        initiator: APP,
        form: { grant_type: ['authorization_code'], code: ['c0…[4]'] },
        status: 200,
        startedAt: 1_400,
        completedAt: 1_450,
        body: {
          text: JSON.stringify({
            access_token: 'x…[20]',
            token_type: 'Bearer',
            scope: 'launch openid patient/Patient.rs',
            patient: 'p1',
          }),
          mimeType: 'application/json',
          truncated: false,
        },
      }),
      makeExchange({
        id: 'fhir',
        url: `${ISS}/Encounter?patient=p1`,
        type: 'fetch',
        initiator: APP,
        status: 403,
        startedAt: 1_500,
        completedAt: 1_550,
      }),
    ];
    const [l] = analyze(exchanges, { now: NOW, watchedOrigins: [`${APP}/*`, `${AUTH}/*`, `${FHIR}/*`] });
    const f = l!.findings.find((x) => x.ruleId === 'scopes-trimmed')!;
    const fixes = f.fixes.map((x) => x.label).join(' | ');
    expect(fixes).not.toMatch(/\.read|Code Console|wildcards/);
    expect(fixes).toContain('this server advertises SMART v2 scopes');
  });
});
