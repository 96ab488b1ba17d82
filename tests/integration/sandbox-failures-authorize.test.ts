/**
 * §7 failure classes answered by the authorize endpoint, driven as a browser runs the probe app, with the
 * wire shape Oracle sends and the rule analyze() names first for the recorded launch.
 */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { APP_ORIGIN, Browser } from './sandbox-browser';
import {
  ehrLaunch,
  firstFinding,
  type LaunchOptions,
  lastExchange,
  launchHolding,
} from './sandbox-browser-flow';
import { MYRECORD, PATIENT, PROBE_REDIRECT, urnOf } from './sandbox-flow';

const sandbox = sandboxForFile('sandbox-fail-authz', { quirk: 'none' });
const URN = 'urn:cerner:error:authorization-server:';

describe('authorize errors returned to the app (error + error_uri + state, no description)', () => {
  const cases: [string, string, string, string, LaunchOptions][] = [
    [
      'aud missing',
      'invalid_request',
      'smart-v1:grant:launch:audience-required',
      'aud-mismatch',
      { mapStart: (u) => u.replace(/&aud=[^&]*/, '') },
    ],
    [
      'aud on the patient host',
      'invalid_request',
      'smart-v1:grant:launch:audience-not-white-listed',
      'aud-mismatch',
      { authorize: { aud: MYRECORD } },
    ],
    [
      'invented launch',
      'invalid_request',
      'smart-v1:grant:launch:invalid-code',
      'launch-invalid',
      { authorize: { launch: 'made-up-launch' } },
    ],
    [
      'launch missing (launch scope asked)',
      'invalid_request',
      'smart-v1:grant:launch:launch-code-required',
      'launch-invalid',
      { authorize: { launch: '' } },
    ],
    [
      'provider app on the patient persona',
      'unauthorized_client',
      'oauth2:grant:client-persona-mismatch',
      'persona-mismatch',
      { authorize: { persona: 'patient' } },
    ],
    [
      'only wildcard scopes',
      'invalid_scope',
      'oauth2:grant:invalid-request',
      'scope-rejected',
      { authorize: { scope: 'patient/*.read user/*.*' } },
    ],
    [
      'scope refused by the tenant (sandbox-scope-denied)',
      'access_denied',
      'oauth2:grant:denied-by-server',
      'scope-rejected',
      { appId: 'sandbox-scope-denied' },
    ],
    [
      'patient scopes, no patient in context',
      'access_denied',
      'oauth2:grant:missing-patient',
      'missing-patient-context',
      { console: { USR_PersonId: '4464007' } },
    ],
  ];

  it.each(cases)('%s → %s %s, analyzed as %s', async (_name, error, urn, ruleId, opts) => {
    const b = new Browser(sandbox);
    const launched = await ehrLaunch(b, { ...opts, authorize: { state: 'st-keep', ...opts.authorize } });
    const back = launched.callback;
    expect(back && `${back.origin}${back.pathname}`).toBe(PROBE_REDIRECT);
    expect(back?.searchParams.get('error')).toBe(error);
    expect(urnOf(back?.searchParams.get('error_uri'))).toBe(URN + urn);
    expect(back?.searchParams.get('state')).toBe('st-keep');
    expect(back?.searchParams.has('error_description')).toBe(false);
    const redirect = launched.navs.at(-1)?.last;
    expect(redirect?.status).toBe(302);
    expect(redirect?.headers['cerner-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);

    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe(ruleId);
    expect(finding?.severity).toBe('error');
  });

  it('a launch for another user than the one who signs in → access_denied + mismatchted-identity', async () => {
    const b = new Browser(sandbox);
    const ctx = { PAT_PersonId: PATIENT, USR_PersonId: '4464008' };
    const launched = await ehrLaunch(b, { console: ctx });
    expect(launched.navs.some((n) => n.last?.body.includes('id="signin"'))).toBe(true);
    expect(launched.callback?.searchParams.get('error')).toBe('access_denied');
    expect(urnOf(launched.callback?.searchParams.get('error_uri'))).toBe(
      `${URN}smart-v1:grant:launch:mismatchted-identity`,
    );
    // No rule of its own: the fallback names it; the user signed in during this launch, as another user.
    const finding = firstFinding(b.exchanges, lastExchange(b));
    expect(finding?.ruleId).toBe('unexplained-failure');
    expect(finding?.title).toBe('Signed in as another user than the EHR launched for');
    expect(finding?.summary).toContain('(USR_PersonId 4464008)');
    expect(finding?.fixes[0]?.kind).toBe('clear-session');
  });
});

describe('authorize errors shown on an authorization.cerner.com error page (never redirected)', () => {
  it.each([
    ['unknown client', { authorize: { clientId: 'no-such-client' } }, 'oauth2:grant:unknown-client'],
    [
      'redirect_uri not registered',
      { authorize: { redirectUri: 'https://evil.example/cb' } },
      'oauth2:grant:redirect-uri-not-registered',
    ],
  ] as [string, LaunchOptions, string][])(
    '%s → 303 to /errors/<URN>, analyzed as authorization-error-page',
    async (_n, opts, urn) => {
      const b = new Browser(sandbox);
      const launched = await ehrLaunch(b, opts);
      expect(launched.callback).toBeUndefined();
      const [redirect, page] = launched.navs[0]?.hops ?? [];
      expect(redirect?.status).toBe(303);
      expect(urnOf(redirect?.location)).toBe(URN + urn);
      expect(page?.status).toBe(200);
      expect(page?.body).toContain(URN + urn);
      expect(b.exchanges.some((e) => e.url.startsWith(APP_ORIGIN) && e.url.includes('error='))).toBe(false);

      const launch = launchHolding(b.exchanges, lastExchange(b));
      expect(launch.findings[0]?.ruleId).toBe('authorization-error-page');
    },
  );
});
