import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startHarness } from '../e2e/harness';
import { launchFromConsole, signIn } from '../e2e/launches';

const OUT = '/tmp/shots/';
mkdirSync(OUT, { recursive: true });
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(name);
}
const h = await startHarness();
try {
  await signIn(await launchFromConsole(h.context));
  const failing = await launchFromConsole(h.context);
  await failing.waitForLoadState('load');
  const log = await h.extensionPage('log.html');
  const failed = log.locator('[role="listbox"] [role="option"][data-status="failed"]');
  await failed.first().waitFor({ timeout: 20_000 });
  await failed.first().click();
  for (const [w, hh] of [[1000, 320], [1000, 400], [550, 420]] as const) {
    await log.setViewportSize({ width: w, height: hh });
    for (const scheme of ['light', 'dark'] as const) {
      await log.emulateMedia({ colorScheme: scheme });
      await shoot(log, `log-before-${w}x${hh}-${scheme}`);
    }
  }
  const popup = await h.extensionPage('popup.html');
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.getByRole('button', { name: 'Strip forceAuthn and relaunch' }).click();
  await popup.getByText(/The fix worked/).waitFor({ timeout: 30_000 });
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    await shoot(popup, `popup-after-${scheme}`);
  }
  await log.setViewportSize({ width: 1400, height: 860 });
  await log.emulateMedia({ colorScheme: 'light' });
  await shoot(log, 'log-after-popupfix');
} finally {
  await h.close();
}
