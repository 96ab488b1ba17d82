/**
 * The companion app (web/dist, served by the sandbox) launched at its real redirect URI `/launch/auth`,
 * and what the extension recorded about it, read through the extension's own message API.
 * Shared by log-truth.test.ts (DevTools open) and log-status.test.ts (DevTools closed).
 */
import type { Page } from 'playwright-core';
import type { LaunchSummary } from '../../utils/launch/summary';
import type { Launch } from '../../utils/model';
import type { Harness } from './harness';
import { ask, listLaunches } from './launches';

export const APP_ORIGIN = 'https://companion.smartdebugger.test';
export const LAUNCHER = `${APP_ORIGIN}/launch/`;
export const REDIRECT = `${APP_ORIGIN}/launch/auth`;
const PROVIDER = 'Local sandbox — provider (fhir-ehr-code) (provider)';

/** Opens the launcher with the sandbox provider preset and presses Launch. */
export async function startCompanionLaunch(page: Page): Promise<void> {
  await page.goto(LAUNCHER);
  await page.getByRole('radio', { name: PROVIDER, exact: true }).check();
  await page.getByRole('button', { name: 'Launch' }).click();
}

/** A launch to the companion's callback; signs in when asked. */
export async function launchCompanion(page: Page, opts: { signIn: boolean }): Promise<void> {
  await startCompanionLaunch(page);
  if (opts.signIn) {
    await page.waitForSelector('#username', { timeout: 30_000 });
    await page.fill('#username', 'portal');
    await page.fill('#password', 'portal');
    await page.click('#signin');
  }
  await page.waitForURL(/\/launch\/auth\?/, { timeout: 30_000 });
}

/** Waits until the companion's callback page finished ready() (its token exchange), well or not. */
export async function appSettled(page: Page): Promise<void> {
  await page
    .getByText('Completing the launch (token exchange)…')
    .waitFor({ state: 'detached', timeout: 30_000 });
}

/** A launch whose sign-in the user cancels: the callback gets access_denied. */
export async function cancelCompanionLaunch(page: Page): Promise<void> {
  await startCompanionLaunch(page);
  await page.waitForSelector('#cancel', { timeout: 30_000 });
  await page.click('#cancel');
  await page.waitForURL(/\/launch\/auth\?.*error=access_denied/, { timeout: 30_000 });
}

/** Runs `read` on a fresh extension page and closes it. */
async function onExtensionPage<T>(h: Harness, read: (page: Page) => Promise<T>): Promise<T> {
  const ext = await h.extensionPage('popup.html');
  try {
    return await read(ext);
  } finally {
    await ext.close();
  }
}

/** Every launch the extension recorded, newest first. */
export const allLaunches = (h: Harness): Promise<Launch[]> => onExtensionPage(h, listLaunches);

/** Launches that went through the companion's redirect URI, newest first. */
export async function companionLaunches(h: Harness): Promise<Launch[]> {
  return (await allLaunches(h)).filter((l) => l.redirectUri === REDIRECT);
}

/** The summaries the list and the popup show (`launches/summaries`), newest first. */
export function launchSummaries(h: Harness): Promise<LaunchSummary[]> {
  return onExtensionPage(h, (page) => ask<LaunchSummary[]>(page, 'launches/summaries'));
}

/** One launch in full, as the detail view reads it (summaries carry only the start of the status reason). */
export function fullLaunch(h: Harness, id: string): Promise<Launch | null> {
  return onExtensionPage(h, (page) => ask<Launch | null>(page, 'launches/get', { id }));
}

/** The log page's list rows. */
export const logRows = (log: Page) => log.locator('[role="listbox"] [role="option"]');

/** The log page's finding headings, in order (severity glyph first). */
export const findingTitles = (log: Page) =>
  log.getByRole('region', { name: 'Findings' }).getByRole('heading', { level: 3 }).allTextContents();
