/** What the e2e tests share: the probe launch on the sandbox console, its sign-in, and a read of the launch log. */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Launch } from '../../utils/model';

export const CONSOLE = 'https://smart.cerner.com/';
export const PROBE_LAUNCH = 'tr[data-client-id="sandbox-probe"] a.launch';
export const CALLBACK = /^https:\/\/companion\.smartdebugger\.test\/probe\/callback\?/;
export const LOGIN = /authorization\.cerner\.com\/idp\/realm\/[^/]+\/login/;

/** A new tab on the sandbox's Code Console that clicks Launch for the probe app. */
export async function launchFromConsole(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(CONSOLE);
  await page.locator(PROBE_LAUNCH).first().click();
  return page;
}

/** Signs in on the sandbox IdP as the provider and waits for the probe app's callback. */
export async function signIn(page: Page): Promise<void> {
  await page.waitForURL(LOGIN);
  await page.fill('#username', 'portal');
  await page.fill('#password', 'portal');
  await page.click('#signin');
  await page.waitForURL(CALLBACK);
}

/** chrome.runtime as the extension's own pages see it. */
export type Chrome = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** One message to the background, as the extension's own pages send it; throws on a refused reply. */
export async function ask<T>(page: Page, type: string, payload: object = {}): Promise<T> {
  const reply = (await page.evaluate(
    ([t, p]) =>
      (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: t, payload: p }),
    [type, payload] as const,
  )) as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return reply.value;
}

/** Every recorded launch, as the popup and log pages ask for it. */
export function listLaunches(page: Page): Promise<Launch[]> {
  return ask<Launch[]>(page, 'launches/list');
}

/** A probe launch from the Code Console with a fresh session, signed in, to the app's FHIR read; its tab closed after. */
export async function probeLaunch(context: BrowserContext): Promise<void> {
  await context.clearCookies();
  const page = await launchFromConsole(context);
  await signIn(page);
  await expect
    .poll(() => page.locator('#patient').textContent(), { timeout: 20_000 })
    .toMatch(/^patient 200/);
  await page.close();
}
