/**
 * The launch log tells the truth about companion launches: the companion (web/dist, served by the
 * sandbox) at its real redirect URI `/launch/auth`, its origin not watched, DevTools open on its tab.
 * Asserts on what the extension recorded (launches read through its message API), not on statuses
 * other than 'failed'. Needs `npm run build` and `npm run build:web`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Launch } from '../../utils/model';
import { type Harness, startHarness } from './harness';
import { listLaunches } from './launches';

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist/index.html');
const LAUNCHER = 'https://companion.smartdebugger.test/launch/';
const REDIRECT = 'https://companion.smartdebugger.test/launch/auth';

let h: Harness;

beforeAll(async () => {
  if (!existsSync(WEB_DIST)) throw new Error('No companion build in web/dist: run npm run build:web first.');
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

/** The launcher with the sandbox provider preset, launched; signs in when asked. */
async function launchCompanion(page: Page, opts: { signIn: boolean }): Promise<void> {
  await page.goto(LAUNCHER);
  await page
    .getByRole('radio', { name: 'Local sandbox — provider (fhir-ehr-code) (provider)', exact: true })
    .check();
  await page.getByRole('button', { name: 'Launch' }).click();
  if (opts.signIn) {
    await page.waitForSelector('#username', { timeout: 30_000 });
    await page.fill('#username', 'portal');
    await page.fill('#password', 'portal');
    await page.click('#signin');
  }
  await page.waitForURL(/\/launch\/auth\?/, { timeout: 30_000 });
}

/** Launches that went through the companion's redirect URI. */
async function companionLaunches(): Promise<Launch[]> {
  const ext = await h.extensionPage('popup.html');
  try {
    return (await listLaunches(ext)).filter((l) => l.redirectUri === REDIRECT);
  } finally {
    await ext.close();
  }
}

const withTokenBody = (l: Launch) => l.steps.some((s) => s.kind === 'token' && s.exchange.body);

describe('launch log truth (e2e)', () => {
  it('a launch has its callback step and its DevTools token response, in one launch', async () => {
    const page = await newPage();
    await launchCompanion(page, { signIn: true });
    await expect
      .poll(async () => (await companionLaunches()).some(withTokenBody), { timeout: 30_000 })
      .toBe(true);
    const launches = await companionLaunches();
    expect(launches).toHaveLength(1);
    const [launch] = launches;
    expect(launch!.steps.filter((s) => s.kind === 'callback').map((s) => s.exchange.url)).toEqual([
      expect.stringMatching(/^https:\/\/companion\.smartdebugger\.test\/launch\/auth\?code=/),
    ]);
    const token = launch!.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.source).toBe('devtools');
    expect(token.exchange.secretFacts?.codeFingerprint).toBe(
      launch!.steps.find((s) => s.kind === 'callback')!.exchange.secretFacts?.codeFingerprint,
    );
    // No stray one-step launch made of the token request alone.
    const all = await (async () => {
      const ext = await h.extensionPage('popup.html');
      try {
        return await listLaunches(ext);
      } finally {
        await ext.close();
      }
    })();
    expect(all.filter((l) => l.steps.length === 1 && l.steps[0]!.kind === 'token')).toEqual([]);
    await page.close();
  });

  it('two launches in one tab are two launches, each with its own callback and token', async () => {
    const before = (await companionLaunches()).length;
    const page = await newPage();
    await launchCompanion(page, { signIn: true });
    // The app finishes its token request before the tab moves on.
    await expect
      .poll(async () => (await companionLaunches()).filter(withTokenBody).length, { timeout: 30_000 })
      .toBe(before + 1);
    // The session is still there: the second launch needs no sign-in.
    await launchCompanion(page, { signIn: false });
    await expect
      .poll(async () => (await companionLaunches()).filter(withTokenBody).length, { timeout: 30_000 })
      .toBe(before + 2);
    const launches = (await companionLaunches()).slice(0, 2);
    expect(new Set(launches.map((l) => l.state)).size).toBe(2);
    for (const l of launches) {
      expect(l.steps.filter((s) => s.kind === 'callback')).toHaveLength(1);
      expect(l.steps.filter((s) => s.kind === 'token')).toHaveLength(1);
      // The second launch's discovery is not the first launch's (DevTools may miss the first one's).
      expect(l.steps.filter((s) => s.kind === 'discovery').length).toBeLessThanOrEqual(1);
    }
    await page.close();
  });

  it('a cancelled sign-in shows the failed callback with the cancelled URN', async () => {
    const page = await newPage();
    await page.goto(LAUNCHER);
    await page
      .getByRole('radio', { name: 'Local sandbox — provider (fhir-ehr-code) (provider)', exact: true })
      .check();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.waitForSelector('#cancel', { timeout: 30_000 });
    await page.click('#cancel');
    await page.waitForURL(/\/launch\/auth\?.*error=access_denied/, { timeout: 30_000 });
    const cancelled = async () =>
      (await companionLaunches()).find((l) =>
        l.steps.some((s) => s.kind === 'callback' && s.exchange.url.includes('error=access_denied')),
      );
    await expect.poll(async () => (await cancelled()) !== undefined, { timeout: 30_000 }).toBe(true);
    const callback = (await cancelled())!.steps.find((s) => s.kind === 'callback')!;
    expect(callback.label).toBe('callback error=access_denied');
    expect(callback.failed).toBe(true);
    // The error_uri is a URL in the query whose path holds the URN: encoded twice.
    expect(decodeURIComponent(decodeURIComponent(callback.exchange.url))).toContain(
      'session-service:authentication:cancelled',
    );
    await page.close();
  });
});
