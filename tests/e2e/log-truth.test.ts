/**
 * The launch log tells the truth about companion launches: the companion (web/dist, served by the
 * sandbox) at its real redirect URI `/launch/auth`, its origin not watched, DevTools open on its tab.
 * Asserts on what the extension recorded and decided (launches and summaries read through its message
 * API) and on what the user sees (the log page, the popup). Needs `npm run build` and `npm run build:web`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Launch } from '../../utils/model';
import {
  allLaunches,
  cancelCompanionLaunch,
  companionLaunches,
  findingTitles,
  launchCompanion,
  launchSummaries,
  logRows,
} from './companion';
import { assertCompanionBuilt, type Harness, startHarness } from './harness';

let h: Harness;

beforeAll(async () => {
  assertCompanionBuilt();
  h = await startHarness({ quirk: 'none', extraArgs: ['--auto-open-devtools-for-tabs'] });
});
afterAll(async () => {
  await h?.close();
});

/** A fresh session, a new tab, and its DevTools page loaded (earlier requests are not seen by it). */
async function newPage(): Promise<Page> {
  await h.context.clearCookies();
  const page = await h.context.newPage();
  await h.waitForDevtoolsPages(h.context.pages().length);
  return page;
}

const withTokenBody = (l: Launch) => l.steps.some((s) => s.kind === 'token' && s.exchange.body);
const statusOf = async (id: string) => (await launchSummaries(h)).find((s) => s.id === id)?.status;

describe('launch log truth (e2e)', () => {
  it('a launch is one succeeded row with its callback and its DevTools token response', async () => {
    const page = await newPage();
    await launchCompanion(page, { signIn: true });
    await expect
      .poll(async () => (await companionLaunches(h)).some(withTokenBody), { timeout: 30_000 })
      .toBe(true);
    const launches = await companionLaunches(h);
    expect(launches).toHaveLength(1);
    const [launch] = launches;
    expect(launch!.steps.filter((s) => s.kind === 'callback').map((s) => s.exchange.url)).toEqual([
      expect.stringMatching(/^https:\/\/companion\.smartdebugger\.test\/launch\/auth\?code=/),
    ]);
    const token = launch!.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.source).toBe('devtools');
    expect(token.exchange.status).toBe(200);
    expect(token.exchange.body?.text).toMatch(/"access_token"/);
    expect(token.exchange.secretFacts?.codeFingerprint).toBe(
      launch!.steps.find((s) => s.kind === 'callback')!.exchange.secretFacts?.codeFingerprint,
    );
    // The status the list and the popup show, decided without waiting for the launch to settle.
    expect(await statusOf(launch!.id)).toBe('succeeded');
    // A clean launch of the companion (43-character state, PKCE) raises no warning or error.
    expect(launch!.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId)).toEqual([]);
    // No stray one-step launch made of the token request alone.
    const all = await allLaunches(h);
    expect(all.filter((l) => l.steps.length === 1 && l.steps[0]!.kind === 'token')).toEqual([]);
    // The log page shows exactly one row for it: succeeded.
    const log = await h.extensionPage('log.html');
    await expect.poll(() => logRows(log).count(), { timeout: 10_000 }).toBe(all.length);
    const row = log.locator(`[id="sld-launch-${launch!.id}"]`);
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.getByRole('img', { name: 'Succeeded' }).count()).toBe(1);
    await log.close();
    await page.close();
  });

  it('two launches in one tab are two succeeded launches, each with its own callback and token', async () => {
    const before = (await companionLaunches(h)).length;
    const page = await newPage();
    await launchCompanion(page, { signIn: true });
    // The app finishes its token request before the tab moves on.
    await expect
      .poll(async () => (await companionLaunches(h)).filter(withTokenBody).length, { timeout: 30_000 })
      .toBe(before + 1);
    // The session is still there: the second launch needs no sign-in.
    await launchCompanion(page, { signIn: false });
    await expect
      .poll(async () => (await companionLaunches(h)).filter(withTokenBody).length, { timeout: 30_000 })
      .toBe(before + 2);
    const launches = (await companionLaunches(h)).slice(0, 2);
    expect(new Set(launches.map((l) => l.state)).size).toBe(2);
    const callbacks = launches.map((l) => l.steps.filter((s) => s.kind === 'callback'));
    expect(callbacks.map((c) => c.length)).toEqual([1, 1]);
    expect(callbacks[0]![0]!.exchange.url).not.toBe(callbacks[1]![0]!.exchange.url);
    for (const l of launches) {
      expect(l.steps.filter((s) => s.kind === 'token').map((s) => s.exchange.status)).toEqual([200]);
      // The second launch's discovery is not the first launch's (DevTools may miss the first one's).
      expect(l.steps.filter((s) => s.kind === 'discovery').length).toBeLessThanOrEqual(1);
      expect(await statusOf(l.id)).toBe('succeeded');
    }
    await page.close();
  });

  it('a cancelled sign-in is cancelled, with the cancellation first, in the log page and the popup', async () => {
    const page = await newPage();
    await cancelCompanionLaunch(page);
    const cancelled = async () =>
      (await companionLaunches(h)).find((l) =>
        l.steps.some((s) => s.kind === 'callback' && s.exchange.url.includes('error=access_denied')),
      );
    await expect.poll(async () => (await cancelled()) !== undefined, { timeout: 30_000 }).toBe(true);
    const launch = (await cancelled())!;
    const callback = launch.steps.find((s) => s.kind === 'callback')!;
    expect(callback.label).toBe('callback error=access_denied');
    expect(callback.failed).toBe(true);
    // The error_uri is a URL in the query whose path holds the URN: encoded twice.
    expect(decodeURIComponent(decodeURIComponent(callback.exchange.url))).toContain(
      'session-service:authentication:cancelled',
    );
    expect(launch.status).toBe('cancelled');
    expect(await statusOf(launch.id)).toBe('cancelled');
    expect(launch.findings[0]?.ruleId).toBe('user-cancelled');

    const log = await h.extensionPage('log.html');
    const row = log.locator(`[id="sld-launch-${launch.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-status')).toBe('cancelled');
    expect(await row.textContent()).toContain('cancelled by the user');
    await row.click();
    const detail = log.getByRole('article', { name: /^Launch of / });
    await expect.poll(() => detail.locator('.sld-detail-header').textContent()).toMatch(/^.*Cancelled · /s);
    // The reason repeats the leading finding, so the detail shows it once: as that finding.
    expect((await findingTitles(log))[0]).toMatch(/Sign-in cancelled/);
    await log.close();

    // The popup leads with the newest launch (its own tab ran none): this one, cancelled.
    const popup = await h.extensionPage('popup.html');
    const heading = popup.locator('#sldp-card-title');
    await heading.waitFor({ timeout: 10_000 });
    expect(await heading.textContent()).toMatch(/Last launch cancelled$/);
    expect(await popup.locator('.sldp-card-cause').textContent()).toMatch(/Sign-in cancelled/);
    await popup.close();
    await page.close();
  });
});
