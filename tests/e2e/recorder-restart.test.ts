/**
 * A service-worker stop in the middle of a launch loses nothing: the worker is stopped with the DevTools
 * protocol (ServiceWorker.stopWorker) after the session-api hop and the login page were recorded; the
 * login and the callback then wake a fresh worker, and the launch read back holds every step.
 */
import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { CALLBACK, CONSOLE, listLaunches, PROBE_LAUNCH } from './launches';

interface Version {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
}

/** Tracks the extension worker's versions as the DevTools protocol reports them. */
async function watchWorker(cdp: CDPSession, extensionId: string) {
  const states: Version[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Version[] }) => {
    for (const v of e.versions)
      if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) states.push(v);
  });
  await cdp.send('ServiceWorker.enable');
  return states;
}

describe('recorder across a real worker stop (e2e)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ quirk: 'none' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the launch is complete after the worker was stopped mid-launch', async () => {
    const ext = await h.extensionPage('popup.html');
    const cdp = await h.context.newCDPSession(ext);
    const states = await watchWorker(cdp, h.extensionId);
    const log = await h.extensionPage('log.html');

    const page = await h.context.newPage();
    await page.goto(CONSOLE);
    await page.locator(PROBE_LAUNCH).first().click();
    await page.waitForURL(/authorization\.cerner\.com\/idp\/realm\/[^/]+\/login/);
    // Let the recorder compact what it journaled into records, then stop the worker.
    await expect
      .poll(async () => (await listLaunches(ext))[0]?.steps.some((s) => s.kind === 'idp-login'), {
        timeout: 10_000,
      })
      .toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    const running = states.findLast((v) => v.runningStatus === 'running');
    expect(running).toBeDefined();
    await cdp.send('ServiceWorker.stopWorker', { versionId: running!.versionId });
    await expect.poll(() => states.at(-1)?.runningStatus, { timeout: 10_000 }).toBe('stopped');
    const stoppedAt = states.length;

    await page.fill('#username', 'portal');
    await page.fill('#password', 'portal');
    await page.click('#signin');
    await page.waitForURL(CALLBACK);
    // The login POST's webRequest events started a new worker instance.
    await expect
      .poll(() => states.slice(stoppedAt).some((v) => v.runningStatus === 'running'), { timeout: 10_000 })
      .toBe(true);

    await expect
      .poll(async () => (await listLaunches(ext))[0]?.steps.some((s) => s.kind === 'callback'), {
        timeout: 20_000,
      })
      .toBe(true);
    const launches = await listLaunches(ext);
    expect(launches).toHaveLength(1);
    const steps = launches[0]!.steps;
    const kinds = steps.map((s) => s.kind);
    // Recorded before the stop …
    expect(kinds).toEqual(expect.arrayContaining(['ehr-launch', 'loading-page', 'session-api', 'idp-login']));
    // … and after it, in the same launch.
    expect(steps.some((s) => s.kind === 'idp-login' && s.exchange.method === 'POST')).toBe(true);
    expect(kinds).toContain('callback');
    expect(launches[0]!.status).not.toBe('failed');
    // The log page shows the launch as the new worker has it, callback included.
    const row = log.locator('[role="listbox"] [role="option"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe(launches[0]!.status);
    const timeline = log.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain('callback');
    expect(
      steps.filter((s) => s.exchange.source === 'webRequest').every((s) => s.exchange.phase === 'complete'),
    ).toBe(true);
  });

  it('a launch the browser closed on says so after the browser is reopened, at once', async () => {
    // Signed out, so that the launch stops at the sign-in page.
    await h.context.clearCookies();
    const page = await h.context.newPage();
    await page.goto(CONSOLE);
    await page.locator(PROBE_LAUNCH).first().click();
    await page.waitForURL(/authorization\.cerner\.com\/idp\/realm\/[^/]+\/login/);
    let ext = await h.extensionPage('popup.html');
    const newest = async () => (await listLaunches(ext)).sort((a, b) => b.startedAt - a.startedAt)[0];
    await expect
      .poll(async () => (await newest())?.steps.some((s) => s.kind === 'idp-login'), { timeout: 10_000 })
      .toBe(true);
    expect((await newest())!.status).toBe('in-progress');
    const cutId = (await newest())!.id;
    // Folded into the stored records (within 0.2 s), then the browser closes on the sign-in page.
    await new Promise((r) => setTimeout(r, 600));
    await h.restart();
    ext = await h.extensionPage('popup.html');
    const launch = await newest();
    expect(launch!.status).toBe('abandoned');
    expect(launch!.statusReason).toMatch(
      /^The browser closed right after IdP login came, with the page still shown \(nothing was sent from it\), before the launch completed/,
    );
    expect(launch!.id).toBe(cutId);
    // The first test's launch reached its callback with the app's origin unwatched: its token request
    // could not be seen anyway, and it says that, not that the browser closed.
    const first = (await listLaunches(ext)).find((l) => l.id !== cutId);
    expect(first!.status).toBe('authorized');
    expect(first!.statusReason).toContain('not watched');
  });

  it("can store more than storage.local's 10 MB default quota (long retention must not fail to persist)", async () => {
    const worker = await h.serviceWorker();
    const result = await worker.evaluate(async () => {
      type Local = { set(items: object): Promise<void>; remove(key: string): Promise<void> };
      const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
      try {
        await local.set({ 'quota-probe': 'x'.repeat(12 * 1024 * 1024) });
        return 'stored';
      } catch (error) {
        return String(error);
      } finally {
        await local.remove('quota-probe');
      }
    });
    expect(result).toBe('stored');
  });
});
