/**
 * What the guided demo does in the browser: the companion's EHR launch from the sandbox's Code Console,
 * the sign-in, the forceAuthn 400, the extension's launch list, and the popup's fix.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Launch } from '../../utils/model';
import { HOSTS } from '../config';

export const CONSOLE_URL = `https://${HOSTS.smart}/`;
export const COMPANION_CLIENT = 'smart-debugger-companion';
export const COMPANION_ORIGIN = `https://${HOSTS.companion}`;
const COMPANION_DONE = /^https:\/\/companion\.smartdebugger\.test\/launch\/auth/;
const LOGIN = /authorization\.cerner\.com\/.*\/login/;

/** Opens the Code Console and clicks Launch on the companion's row. */
export async function launchCompanion(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(CONSOLE_URL);
  await page.locator(`tr[data-client-id="${COMPANION_CLIENT}"] a.launch`).first().click();
  return page;
}

export async function signIn(page: Page): Promise<void> {
  await page.waitForURL(LOGIN, { timeout: 30_000 });
  await page.fill('#username', 'portal');
  await page.fill('#password', 'portal');
  await page.click('#signin');
}

/** Waits until the companion shows the patient it was launched with. */
export async function companionLoaded(page: Page): Promise<void> {
  await page.waitForURL(COMPANION_DONE, { timeout: 30_000 });
  await page.getByRole('region', { name: /^Patient (banner|in context)$/ }).waitFor({ timeout: 30_000 });
}

/** The tab a one-click relaunch took to the companion, whichever tab that is. */
export async function relaunchedCompanionPage(context: BrowserContext): Promise<Page> {
  let found: Page | undefined;
  await until(
    async () => {
      found = context.pages().find((p) => COMPANION_DONE.test(p.url()));
      return !!found;
    },
    'no tab reached the companion after the relaunch',
    30_000,
  );
  return found!;
}

/** Polls the extension's launch list until `ok` holds for the newest companion launch. */
export async function newestCompanionLaunch(
  page: Page,
  ok: (l: Launch) => boolean,
  what: string,
): Promise<Launch> {
  const deadline = Date.now() + 20_000;
  let last: Launch | undefined;
  for (;;) {
    last = (await listLaunches(page)).find((l) => l.clientId === COMPANION_CLIENT);
    if (last && ok(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `the extension never showed ${what} (newest companion launch: ${last?.status ?? 'none'})`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the session-api hop to answer Oracle's 400 page. */
export async function badRequestShown(page: Page): Promise<void> {
  await page.waitForURL((u) => u.pathname.startsWith('/session-api/'), { timeout: 30_000 });
  const title = await page.locator('h1').first().textContent({ timeout: 30_000 });
  if (title !== 'Bad Request')
    throw new Error(`expected Oracle's "Bad Request" page, the page shows "${title ?? ''}"`);
}

type Chrome = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** The launches the background holds, asked for with the extension's own message (as the popup does). */
export async function listLaunches(extensionPage: Page): Promise<Launch[]> {
  const reply = (await extensionPage.evaluate(() =>
    (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({
      type: 'launches/list',
      payload: {},
    }),
  )) as { ok: boolean; value: Launch[]; error?: unknown };
  if (!reply.ok) throw new Error(`launches/list answered ${JSON.stringify(reply.error ?? reply)}`);
  return reply.value;
}

export type FixApplied = 'relaunched' | 'rule-on';

/**
 * Applies the popup's forceAuthn fix — the one place that knows which control that is. A one-click
 * "Strip forceAuthn and relaunch" button relaunches by itself; the "Strip forceAuthn" switch only turns
 * the rule on and the caller relaunches.
 */
export async function applyPopupFix(popup: Page): Promise<FixApplied> {
  const button = popup.getByRole('button', { name: /strip forceauthn and relaunch/i });
  const toggle = popup.getByRole('switch', { name: 'Strip forceAuthn' });
  await button.or(toggle).first().waitFor({ timeout: 15_000 });
  if (await button.count()) {
    await button.first().click();
    return 'relaunched';
  }
  await until(async () => !(await toggle.isDisabled()), 'the switch stayed disabled');
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await until(
    async () => (await toggle.getAttribute('aria-checked')) === 'true',
    'the switch did not turn on',
  );
  return 'rule-on';
}

async function until(check: () => Promise<boolean>, failure: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 100));
  }
}
