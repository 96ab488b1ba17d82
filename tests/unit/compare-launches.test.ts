import { describe, expect, it } from 'vitest';
import { compareLaunches } from '../../utils/compare';
import { analyze } from '../../utils/launch/analyze';
import type { ExchangeSource, Launch } from '../../utils/model';
import {
  buildLaunch,
  COMPANION_SCOPES,
  type LaunchSpec,
  launchExchanges,
  REPORTED_APP_ID,
  reportedAppSpec,
  SESSION_COOKIES,
} from '../fixtures/compare/build';

const LATER = Date.UTC(2025, 4, 12, 15, 0, 0);
/** Two apps that are not the companion, so client id and redirect URI count as causes. */
const APP_ONE: LaunchSpec = { clientId: 'app-one' };

function kinds(a: LaunchSpec, b: LaunchSpec) {
  return compareLaunches(buildLaunch(a), buildLaunch(b, LATER)).differences.map((d) => d.kind);
}

describe('compareLaunches on identical launches', () => {
  it.each([
    ['the companion', {}],
    ['the reported app', reportedAppSpec],
    ['an app with a refused FHIR call', { ...APP_ONE, fhir: [403] }],
  ])('finds no difference between two launches of %s', (_name, spec: LaunchSpec) => {
    const c = compareLaunches(buildLaunch(spec), buildLaunch(spec, LATER));
    expect(c.differences).toEqual([]);
    expect(c.sections.flatMap((s) => s.rows).filter((r) => r.differs)).toEqual([]);
    expect(c.steps.every((r) => r.a?.count === r.b?.count)).toBe(true);
  });
});

describe('compareLaunches names each kind of difference once', () => {
  const base: LaunchSpec = APP_ONE;
  it.each<[string, LaunchSpec, string[]]>([
    ['client id', { clientId: 'app-two' }, ['client-id']],
    ['redirect URI', { redirectUri: 'http://127.0.0.1:5173/index.html' }, ['redirect-uri']],
    ['response_type', { responseType: 'token' }, ['response-type']],
    ['scopes', { scopes: [...COMPANION_SCOPES, 'user/Goal.rs'] }, ['scopes']],
    ['aud', { aud: 'https://fhir-ehr-code.cerner.com/r4/other-tenant' }, ['aud']],
    ['launch parameter', { launch: false }, ['launch']],
    ['state length', { state: 'abc123' }, ['state']],
    ['PKCE method', { pkce: 'none' }, ['pkce']],
    ['persona path', { persona: 'patient' }, ['persona']],
    ['session-api cookies and status', { cookies: SESSION_COOKIES, sessionStatus: 400 }, ['session-hop']],
    [
      'discovery document',
      { discovery: { capabilities: ['launch-ehr'], code_challenge_methods_supported: [] } },
      ['discovery'],
    ],
    ['granted scopes', { granted: ['launch', 'openid'] }, ['granted-scopes']],
    ['token response', { token: { refresh_token: 'abc…[40]', need_patient_banner: false } }, ['token']],
    ['first FHIR calls', { fhir: [403, 200] }, ['fhir']],
    ['a finding of one side only', { cacheControl: 'max-age=600' }, ['finding']],
  ])('%s', (_name, change, expected) => {
    const found = kinds({ ...base, ...change }, base);
    expect(found.sort()).toEqual(expected.sort());
  });

  it('names the launch that stopped early by the step it never reached', () => {
    const c = compareLaunches(buildLaunch({ ...APP_ONE, sessionStatus: 500 }), buildLaunch(APP_ONE, LATER));
    const steps = c.differences.filter((d) => d.kind === 'steps' || d.kind === 'session-hop');
    expect(steps).toHaveLength(1);
    expect(steps[0]!.text).toContain('got 500');
  });
});

describe('compareLaunches on the reported app against the companion', () => {
  const c = compareLaunches(buildLaunch(reportedAppSpec), buildLaunch({}, LATER));

  it('labels the sides and says how each ended', () => {
    expect(c.labels).toEqual({ a: 'your app', b: 'the companion' });
    expect(c.headline).toBe(
      "Your app's launch failed at session-api (HTTP 400); the companion's launch succeeded.",
    );
  });

  it('leads with forceAuthn and the session cookies, paired with the finding and its fixes', () => {
    const [first] = c.differences;
    expect(first?.kind).toBe('session-hop');
    expect(first?.text).toMatch(/^Your app hit session-api with forceAuthn=true and 3 cookies/);
    expect(first?.text).toContain("the companion's hop had none");
    expect(first?.finding).toMatchObject({ side: 'a', ruleId: 'force-authn-session', severity: 'error' });
    expect(first?.fixes.map((f) => f.kind)).toEqual(['enable-strip-rule', 'clear-session', 'relaunch']);
  });

  it('counts the scopes only the app requests, v1 `.read` and v2 `.rs` taken as one', () => {
    const scopes = c.differences.find((d) => d.kind === 'scopes');
    // 150 requested: 7 are the companion's own .rs scopes and 7 their .read twins.
    expect(scopes?.text).toContain('Your app requests 132 scopes the companion does not (150 vs 11 in all)');
    expect(scopes?.text).toContain('59 of them use the v1 `.read` spelling');
    // The fixture sends every other resource scope as both `.read` and `.rs`.
    expect(scopes?.text).toContain('59 permissions are sent twice, once per spelling');
    expect(c.scopes.onlyB).toEqual([]);
  });

  it('ranks the expected client id difference last and marks it expected', () => {
    const last = c.differences.at(-1);
    expect(last?.kind).toBe('client-id');
    expect(last?.expected).toBe(true);
    expect(last?.text).toContain(REPORTED_APP_ID);
  });

  it('aligns the steps by kind and shows where each launch stopped', () => {
    const session = c.steps.find((r) => r.kind === 'session-api');
    expect(session?.a).toMatchObject({ statuses: ['400'], failedHere: true });
    expect(session?.b).toMatchObject({ statuses: ['303'], failed: false });
    const token = c.steps.find((r) => r.kind === 'token');
    expect(token?.a).toBeUndefined();
    expect(token?.b?.statuses).toEqual(['200']);
  });

  it('puts the companion second whichever side it was picked on', () => {
    const swapped = compareLaunches(buildLaunch({}, LATER), buildLaunch(reportedAppSpec));
    expect(swapped.labels).toEqual({ a: 'the companion', b: 'your app' });
    expect(swapped.differences[0]?.finding?.side).toBe('b');
  });
});

describe('compareLaunches on scope spellings', () => {
  it('pairs `.read` with `.rs` instead of listing them as different scopes', () => {
    const v1 = COMPANION_SCOPES.map((s) => s.replace('.rs', '.read'));
    const c = compareLaunches(buildLaunch({ ...APP_ONE, scopes: v1 }), buildLaunch(APP_ONE, LATER));
    expect(c.scopes.onlyA).toEqual([]);
    expect(c.scopes.onlyB).toEqual([]);
    expect(c.scopes.respelt).toHaveLength(7);
    expect(c.differences.map((d) => d.text)).toEqual([
      'Launch A spells 7 scopes differently from launch B, with the same meaning (`user/Patient.read` ≈ `user/Patient.rs`).',
    ]);
  });

  it('says `.read` scopes meet a v2 registration when the token shows the registration is v2', () => {
    const extra = ['user/Goal.read', 'user/Device.read', 'user/Slot.read'];
    const c = compareLaunches(
      buildLaunch({ ...APP_ONE, scopes: [...COMPANION_SCOPES, ...extra], granted: COMPANION_SCOPES }),
      buildLaunch({ clientId: 'app-one' }, LATER),
    );
    const text = c.differences.find((d) => d.kind === 'scopes')?.text;
    expect(text).toContain('Launch A requests 3 scopes launch B does not (14 vs 11 in all)');
    expect(text).toContain('3 of them are `.read` scopes on a v2 registration');
  });
});

describe('compareLaunches on cookies the recorder did not list', () => {
  /** The companion's launch with its session-api hop's Cookie summary left out, as seen through `source`. */
  function withoutCookieSummary(source: ExchangeSource): Launch {
    const exchanges = launchExchanges({}, LATER);
    for (const ex of exchanges) {
      if (!ex.url.includes('/session-api/')) continue;
      delete ex.requestCookies;
      ex.source = source;
    }
    return analyze(exchanges)[0]!;
  }

  it('reads a webRequest hop without a Cookie summary as one that sent none', () => {
    const c = compareLaunches(buildLaunch(reportedAppSpec), withoutCookieSummary('webRequest'));
    expect(c.differences[0]?.text).toContain("the companion's hop had none");
  });

  it('says the cookies were not recorded for a hop from a HAR file', () => {
    const c = compareLaunches(buildLaunch(reportedAppSpec), withoutCookieSummary('har'));
    expect(c.differences[0]?.text).toContain(
      "the companion's hop's cookies were not recorded, and it got 303",
    );
  });
});

describe('compareLaunches on a discovery document seen without its body', () => {
  it('does not compare what the document says, and shows it as not captured', () => {
    const exchanges = launchExchanges({ discovery: { capabilities: ['launch-ehr'] } }, LATER);
    for (const ex of exchanges) if (ex.url.endsWith('/smart-configuration')) delete ex.body;
    const c = compareLaunches(buildLaunch(), analyze(exchanges)[0]!);
    expect(c.differences).toEqual([]);
    const rows = c.sections.find((s) => s.title === 'Discovery')!.rows;
    expect(rows.find((r) => r.label === 'capabilities')).toMatchObject({ b: 'not captured', differs: true });
    expect(rows.find((r) => r.label === 'status')).toMatchObject({ a: '200', b: '200', differs: false });
  });
});
