/** What the recorder e2e tests share: the probe launch on the sandbox console and a read of the launch log. */
import type { Page } from 'playwright-core';
import type { Launch } from '../../utils/model';

export const CONSOLE = 'https://smart.cerner.com/';
export const PROBE_LAUNCH = 'tr[data-client-id="sandbox-probe"] a.launch';
export const CALLBACK = /^https:\/\/companion\.smartdebugger\.test\/probe\/callback\?/;

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
