import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT } from '../../sandbox';
import { fhirBase, HOSTS } from '../../sandbox/config';
import type { Launch } from '../../utils/model';
import { editPreferences, type Harness, startHarness } from './harness';
import { CONSOLE, LOGIN, launchFromConsole, listLaunches, signIn } from './launches';

const TOKEN = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/token`;
const JSON_CODE = 'JsonClientCode0123456789abcdef';

const kinds = (l: Launch) => l.steps.map((s) => s.kind);

describe('recorder (e2e)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records a successful launch, then the failing 400 launch', async () => {
    const first = await launchFromConsole(h.context);
    await signIn(first);
    const code = new URL(first.url()).searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);

    const second = await launchFromConsole(h.context);
    await expect.poll(() => second.locator('h1').textContent()).toBe('Bad Request');

    const ext = await h.extensionPage('popup.html');
    // Events reach the log in batches, the launch URL's navigation among the last: wait for the list as
    // it settles (both statuses, and the first launch from its start), not for its first sight.
    await expect
      .poll(
        async () => {
          const list = await listLaunches(ext);
          return [...list.map((l) => l.status), list[1]?.steps[0]?.kind];
        },
        { timeout: 20_000 },
      )
      .toEqual(['failed', 'in-progress', 'ehr-launch']);
    const [failed, ok] = await listLaunches(ext);

    // Success: app launch → discovery → authorize → session-api 303 → IdP login → authorize → callback.
    expect(kinds(ok!)).toEqual(
      expect.arrayContaining(['ehr-launch', 'authorize', 'session-api', 'idp-login', 'callback']),
    );
    const okSession = ok!.steps.find((s) => s.kind === 'session-api')!;
    expect(okSession.exchange.status).toBe(303);
    expect(okSession.exchange.url).toContain('forceAuthn=true');
    expect(ok!.clientId).toBe('sandbox-probe');
    // Without host permission for the app's origin its token POST is invisible: the callback was seen
    // only as a navigation (partial), so the launch cannot be called succeeded and the fix is to watch the app.
    const callback = ok!.steps.find((s) => s.kind === 'callback')!;
    expect([callback.exchange.source, callback.exchange.partial]).toEqual(['webNavigation', true]);
    expect(kinds(ok!)).not.toContain('token');
    expect(ok!.findings.flatMap((f) => f.fixes)).toContainEqual(
      expect.objectContaining({ kind: 'watch-origin', origin: 'https://companion.smartdebugger.test' }),
    );

    // Failure: the session-api hop with forceAuthn answered 400 while session cookies were sent.
    const failing = failed!.steps.find((s) => s.exchange.id === failed!.failedAt)!;
    expect(failing.kind).toBe('session-api');
    expect(failing.exchange.status).toBe(400);
    expect(failing.exchange.requestCookies?.names).toEqual(
      expect.arrayContaining(['cloud-session-iframe', 'cerner-authz-session']),
    );
    expect(failing.exchange.responseHeaders['cerner-correlation-id']).toBeTruthy();
    expect(failed!.findings.map((f) => f.ruleId)).toContain('force-authn-session');
    expect(kinds(failed!)).not.toContain('callback');

    // Redacted at capture: the authorization code and the login password are nowhere in the log.
    const all = JSON.stringify(await listLaunches(ext));
    expect(all).not.toContain(code);
    expect(all).not.toContain('password=portal');
    // Only SMART traffic: the console page's own assets are not there.
    expect(all).not.toMatch(/\.css"|favicon/);
  });

  it('reads a token request sent as JSON (webRequest hands it over as bytes), redacted, as the cause of its 400', async () => {
    const ext = await h.extensionPage('popup.html');
    const before = new Set((await listLaunches(ext)).map((l) => l.id));
    const page = await h.context.newPage();
    await page.goto(CONSOLE);
    // A hand-written client on a watched origin: JSON, with CORS (the sandbox answers the preflight).
    const status = await page.evaluate(
      async ([url, body]) =>
        (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
      [
        TOKEN,
        JSON.stringify({
          grant_type: 'authorization_code',
          code: JSON_CODE,
          redirect_uri: 'https://json-client.example/callback',
          code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
          client_id: 'json-client',
        }),
      ] as const,
    );
    // The sandbox, like a server that follows RFC 6749 §4.1.3, takes forms only.
    expect(status).toBe(400);
    let launch: Launch | undefined;
    await expect
      .poll(
        async () => {
          launch = (await listLaunches(ext)).find(
            (l) => !before.has(l.id) && l.steps.some((s) => s.exchange.formFormat === 'json'),
          );
          return launch?.status;
        },
        { timeout: 20_000 },
      )
      .toBe('failed');
    const token = launch!.steps.find((s) => s.exchange.formFormat === 'json')!;
    expect(token.kind).toBe('token');
    expect(token.exchange.form?.grant_type).toEqual(['authorization_code']);
    expect(launch!.findings[0]).toMatchObject({ title: 'Token request sent as JSON', severity: 'error' });
    // The code and the verifier never reached storage.
    const all = JSON.stringify(await listLaunches(ext));
    expect(all).not.toContain(JSON_CODE);
    expect(all).not.toContain('dBjftJeZ4CVP');
    await page.close();
  });

  it('a launch whose tab is closed on the sign-in page is abandoned at once, saying so', async () => {
    await h.context.clearCookies();
    const ext = await h.extensionPage('popup.html');
    const before = new Set((await listLaunches(ext)).map((l) => l.id));
    const page = await launchFromConsole(h.context);
    await page.waitForURL(LOGIN);
    await page.close();
    let launch: Launch | undefined;
    // Well within the 30 s a launch takes to settle, and the 5 min after which an idle one is abandoned.
    await expect
      .poll(
        async () => {
          launch = (await listLaunches(ext)).find((l) => !before.has(l.id));
          return launch?.status;
        },
        { timeout: 10_000 },
      )
      .toBe('abandoned');
    expect(launch!.statusReason).toMatch(
      /^The tab was closed .* after IdP login came, with the page still shown/,
    );
  });

  it('a sign-in in a frame of another site that does not stick (third-party cookies) is said after one round', async () => {
    // Third-party cookies blocked, as Chromium's setting says it (this Chromium's default too, not every one's).
    await h.restart(() =>
      editPreferences<{ profile?: Record<string, unknown> }>(h.userDataDir, (prefs) => {
        prefs.profile = { ...prefs.profile, cookie_controls_mode: 1 };
      }),
    );
    await h.context.clearCookies();
    const ext = await h.extensionPage('popup.html');
    const before = new Set((await listLaunches(ext)).map((l) => l.id));
    const page = await h.context.newPage();
    const iss = fhirBase(HOSTS.ehr, TENANT);
    await page.goto(
      `https://${HOSTS.companion}/probe/launch?iss=${encodeURIComponent(iss)}&frame=1&scope=${encodeURIComponent('openid fhirUser patient/Patient.rs')}`,
    );
    const frame = page.frameLocator('#authframe');
    await frame.locator('#username').fill('portal');
    await frame.locator('#password').fill('portal');
    await frame.locator('#signin').click();
    let launch: Launch | undefined;
    await expect
      .poll(
        async () => {
          launch = (await listLaunches(ext)).find((l) => !before.has(l.id));
          return launch?.findings[0]?.title;
        },
        { timeout: 15_000 },
      )
      .toBe('Sign-in does not stick in a frame');
    const f = launch!.findings[0]!;
    // Recorded live: the request after sign-in was heard, and carried no cookie.
    expect(f.evidence.find((e) => e.label === 'cookies it sent')?.value).toBe('0');
    expect(f.summary).toMatch(
      /^The sign-in was accepted \(IdP login \(form\) answered 303 and set \d+ cookies\)/,
    );
    // The frame is back at the login form: signing in again there would end the same way.
    await frame.locator('#username').waitFor({ timeout: 5000 });
    await page.close();
  });
});
