/**
 * Shared steps for the strip-forceAuthn and clear-session e2e tests: driving a Code Console launch of
 * the sandbox probe app, the popup, and reading the extension's state from its service worker.
 */
import type { Page } from 'playwright-core';
import type { DnrRule } from '../../utils/dnr/types';
import type { BrowserCookie } from '../../utils/session/types';
import type { Harness } from './harness';

import { CALLBACK, launchFromConsole } from './launches';

export { CALLBACK, CONSOLE, signIn } from './launches';

/** The parts of the extension APIs the tests read inside the service worker (types only; erased). */
export interface ExtApi {
  declarativeNetRequest: {
    getDynamicRules(): Promise<DnrRule[]>;
    isRegexSupported(o: {
      regex: string;
      isCaseSensitive?: boolean;
    }): Promise<{ isSupported: boolean; reason?: string }>;
  };
  action: { getBadgeText(o: { tabId?: number }): Promise<string> };
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
  cookies: { getAll(o: { partitionKey?: object }): Promise<BrowserCookie[]> };
}
export type WithExt = { chrome: ExtApi };

export type LaunchOutcome = 'callback' | 'login' | 'bad-request';

/** Clicks Launch on the console and reports where the chain stops: the app, the login form, or the 400. */
export async function launchProbe(h: Harness): Promise<{ page: Page; outcome: LaunchOutcome }> {
  const page = await launchFromConsole(h.context);
  await page.waitForURL(
    (u) =>
      CALLBACK.test(u.href) ||
      /\/idp\/realm\/[^/]+\/login/.test(u.href) ||
      u.pathname.startsWith('/session-api/'),
  );
  await page.waitForLoadState('load');
  if (CALLBACK.test(page.url())) return { page, outcome: 'callback' };
  if (/\/login/.test(page.url())) return { page, outcome: 'login' };
  await page.waitForSelector('h1');
  return {
    page,
    outcome: (await page.locator('h1').textContent()) === 'Bad Request' ? 'bad-request' : 'login',
  };
}

export async function dynamicRules(h: Harness): Promise<DnrRule[]> {
  const sw = await h.serviceWorker();
  return sw.evaluate(() => (globalThis as unknown as WithExt).chrome.declarativeNetRequest.getDynamicRules());
}

/** The popup opened as a page; its switch is the only control for the rule. */
export async function setRuleFromPopup(h: Harness, enabled: boolean): Promise<Page> {
  const popup = await h.extensionPage('popup.html');
  const toggle = popup.getByRole('switch', { name: 'Strip forceAuthn' });
  await toggle.waitFor();
  await popup.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[role="switch"]')?.disabled);
  if ((await toggle.getAttribute('aria-checked')) !== String(enabled)) await toggle.click();
  await popup.waitForFunction(
    (want) => document.querySelector('[role="switch"]')?.getAttribute('aria-checked') === want,
    String(enabled),
  );
  return popup;
}

/** Session-api hops the sandbox received since `from` (index into its request log). */
export function sessionApiHops(h: Harness, from = 0) {
  return h.sandbox.requestLog.slice(from).filter((e) => e.path.startsWith('/session-api/realm/'));
}
