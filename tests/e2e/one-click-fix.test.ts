/**
 * From the forceAuthn 400 to a working launch in one click: after the failure, the user opens the popup and
 * presses its primary button once; the strip rule goes on and the launch starts again in the tab that failed,
 * from the Code Console page, and reaches the app's callback.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { CALLBACK, launchFromConsole, signIn } from './launches';

describe('one-click fix from the popup (e2e)', () => {
  let h: Harness;
  let failing: Page;

  beforeAll(async () => {
    h = await startHarness();
    await signIn(await launchFromConsole(h.context));
    failing = await launchFromConsole(h.context);
    await failing.getByRole('heading', { name: 'Bad Request' }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the tab that failed is marked in the toolbar: a red ! and a title naming the cause', async () => {
    const page = await h.extensionPage('popup.html');
    type Chrome = {
      runtime: {
        sendMessage(m: unknown): Promise<{ ok: boolean; value: { status: string; tabIds: number[] }[] }>;
      };
      action: {
        getBadgeText(d: { tabId: number }): Promise<string>;
        getTitle(d: { tabId: number }): Promise<string>;
      };
    };
    const mark = () =>
      page.evaluate(async () => {
        const c = (globalThis as unknown as { chrome: Chrome }).chrome;
        const reply = await c.runtime.sendMessage({ type: 'launches/summaries', payload: {} });
        const failed = reply.value.find((l) => l.status === 'failed');
        const tabId = failed?.tabIds[0];
        if (tabId === undefined) return undefined;
        return { text: await c.action.getBadgeText({ tabId }), title: await c.action.getTitle({ tabId }) };
      });
    await expect.poll(mark, { timeout: 20_000 }).toMatchObject({ text: '!' });
    expect((await mark())?.title).toMatch(/^SMART launch failed: .*forceAuthn/);
    await page.close();
  });

  it('one press of the popup’s primary button leads to a launch that reaches the app', async () => {
    const popup = await h.extensionPage('popup.html');
    let clicks = 0;
    const press = async (name: string) => {
      clicks++;
      await popup.getByRole('button', { name }).click();
    };
    const card = popup.getByRole('region', { name: /launch failed/i });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.textContent()).toMatch(/forceAuthn/);

    await press('Strip forceAuthn and relaunch');

    await failing.waitForURL(CALLBACK, { timeout: 30_000 });
    expect(clicks).toBe(1);
    await popup
      .getByRole('status')
      .filter({ hasText: '✓ Strip forceAuthn on · relaunched in its tab.' })
      .waitFor();
    // The relaunch leads the popup now, and the popup says the fix worked once it got through.
    await popup
      .getByRole('status')
      .filter({ hasText: /^✓ The fix worked: the relaunch (succeeded|reached the app with its code)\.$/ })
      .waitFor({ timeout: 20_000 });
    expect(await popup.getByRole('switch', { name: 'Strip forceAuthn' }).getAttribute('aria-checked')).toBe(
      'true',
    );
  });
});
