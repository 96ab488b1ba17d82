/**
 * Proves the browser harness: real Chromium with the extension, Oracle hostnames mapped to the sandbox.
 * A Code Console launch of the probe app logs in and reaches its redirect_uri with a code; a second launch
 * with the session cookie now present gets the 400 on the session-api hop (default quirk).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { CONSOLE, launchFromConsole, PROBE_LAUNCH, signIn } from './launches';

describe('e2e harness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads the extension and maps the sandbox hostnames', async () => {
    expect(h.extensionId).toMatch(/^[a-p]{32}$/);
    const sw = await h.serviceWorker();
    expect(sw.url()).toContain(h.extensionId);
    expect(h.sandbox.quirk).toBe('forceauthn-session');
  });

  it('completes an EHR launch, then reproduces the forceAuthn 400 on a second launch', async () => {
    const page = await launchFromConsole(h.context);
    await signIn(page);
    expect(await page.locator('#code').textContent()).toMatch(/^[\w-]{20,}$/);
    expect(await page.locator('#state').textContent()).not.toBe('');
    await expect.poll(() => page.locator('#exchange').textContent()).toBe('token 200');
    await expect.poll(() => page.locator('#patient').textContent()).toBe('patient 200 12742400');

    const log = h.sandbox.requestLog;
    const firstHop = log.find((e) => e.path.startsWith('/session-api/realm/'));
    expect(firstHop).toMatchObject({ host: 'authorization.cerner.com', status: 303 });
    expect(firstHop?.url).toContain('forceAuthn=true');
    expect(firstHop?.cookieNames).not.toContain('cloud-session-iframe');
    expect(log.some((e) => e.path.endsWith('/login') && e.method === 'POST' && e.status === 303)).toBe(true);
    expect(log.some((e) => e.path.endsWith('/token') && e.method === 'POST' && e.status === 200)).toBe(true);
    const before = log.length;

    const second = await h.context.newPage();
    await second.goto(CONSOLE);
    const hop = second.waitForResponse((r) => r.url().includes('/session-api/realm/'));
    await second.locator(PROBE_LAUNCH).first().click();
    const response = await hop;
    expect(response.status()).toBe(400);
    expect(new URL(response.url()).searchParams.get('forceAuthn')).toBe('true');
    await expect.poll(() => second.locator('h1').textContent()).toBe('Bad Request');

    const again = h.sandbox.requestLog.slice(before).find((e) => e.path.startsWith('/session-api/realm/'));
    expect(again?.status).toBe(400);
    expect(again?.cookieNames).toEqual(
      expect.arrayContaining(['cloud-session-iframe', 'cerner-authz-session']),
    );
    expect(h.sandbox.requestLog.slice(before).some((e) => e.path.endsWith('/probe/callback'))).toBe(false);
  });

  it('restarts Chromium on the same profile with the extension and the mapping intact', async () => {
    const id = h.extensionId;
    const logged = h.sandbox.requestLog.length;
    const before = await h.context.newPage();
    await before.goto('https://smart.cerner.com/');
    await before.evaluate(() => localStorage.setItem('harness-marker', 'kept'));
    await h.restart();
    expect(h.extensionId).toBe(id);
    const popup = await h.extensionPage('popup.html');
    expect(popup.url()).toBe(`chrome-extension://${id}/popup.html`);
    const page = await h.context.newPage();
    await page.goto('https://smart.cerner.com/');
    expect(await page.evaluate(() => localStorage.getItem('harness-marker'))).toBe('kept');
    const reply = await page.goto('https://authorization.cerner.com/my-session/status');
    // The sandbox's session cookies have no expiry, so like any session cookie they end with the browser.
    expect(await reply?.json()).toEqual({ activeSession: false });
    expect(h.sandbox.requestLog.length).toBeGreaterThan(logged);
  });

  it('grants an optional host permission as an accepted prompt would, across a restart', async () => {
    type Permissions = { contains(p: { origins: string[] }): Promise<boolean> };
    const contains = async (origin: string) =>
      (await h.serviceWorker()).evaluate(
        (o) =>
          (globalThis as unknown as { chrome: { permissions: Permissions } }).chrome.permissions.contains({
            origins: [o],
          }),
        origin,
      );
    expect(await contains('https://companion.smartdebugger.test/*')).toBe(false);
    await h.grantOrigins(['https://companion.smartdebugger.test/*']);
    expect(await contains('https://companion.smartdebugger.test/*')).toBe(true);
    expect(await contains('https://other.example/*')).toBe(false);
  });
});
