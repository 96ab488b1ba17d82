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
    expect(await popup.getByRole('status').textContent()).toBe('✓ Strip rule on · relaunched in its tab.');
    expect(await popup.getByRole('switch', { name: 'Strip forceAuthn' }).getAttribute('aria-checked')).toBe(
      'true',
    );
  });
});
