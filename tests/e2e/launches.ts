/** What the e2e tests share: the probe launch on the sandbox console, its sign-in, and a read of the launch log. */
import type { BrowserContext, Page } from 'playwright-core';
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

type Chrome = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** Ask the background through the extension's own message API, as the popup and log pages do. */
export async function listLaunches(page: Page): Promise<Launch[]> {
  const reply = (await page.evaluate(() =>
    (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({
      type: 'launches/list',
      payload: {},
    }),
  )) as { ok: boolean; value: Launch[] };
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return reply.value;
}
