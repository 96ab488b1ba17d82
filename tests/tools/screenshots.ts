/**
 * Screenshots of the real UI for the README (`npm run screenshots` → docs/screenshots/): the built extension
 * in Debian Chromium against the sandbox, after the forceAuthn 400 — the popup, the launch log in light and
 * dark, wide and at docked-DevTools sizes — and the companion's results page. Build first
 * (`npm run build && npm run build:web`). Run it again whenever the UI changes so the README stays current.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startHarness } from '../e2e/harness';
import { launchFromConsole, signIn } from '../e2e/launches';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

/** Log sizes: a browser tab, DevTools docked at the bottom, DevTools docked on the right. */
const LOG_SIZES = [
  { name: 'wide', width: 1400, height: 860 },
  { name: 'docked-bottom', width: 1000, height: 400 },
  { name: 'docked-right', width: 500, height: 900 },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
}

const h = await startHarness();
try {
  // The reported failure: a first launch signs in, the second one hits the forceAuthn 400.
  await signIn(await launchFromConsole(h.context));
  const failing = await launchFromConsole(h.context);
  await failing.waitForLoadState('load');

  const popup = await h.extensionPage('popup.html');
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.locator('.sld-root').first().waitFor();
  await popup.waitForTimeout(1500);
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    await shoot(popup, `popup-${scheme}`);
  }

  const log = await h.extensionPage('log.html');
  const failed = log.locator('[role="listbox"] [role="option"][data-status="failed"]');
  await failed.first().waitFor({ timeout: 20_000 });
  await failed.first().click();
  for (const size of LOG_SIZES) {
    await log.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of ['light', 'dark'] as const) {
      await log.emulateMedia({ colorScheme: scheme });
      await shoot(log, `log-${size.name}-${scheme}`);
    }
  }

  // The companion after a successful EHR launch (no forceAuthn problem without a session).
  await h.sandbox.setQuirk('none');
  const companion = await h.context.newPage();
  await companion.setViewportSize({ width: 1100, height: 900 });
  await companion.goto('https://smart.cerner.com/');
  await companion.locator('tr[data-client-id="smart-debugger-companion"] a.launch').first().click();
  await companion.waitForURL(/companion\.smartdebugger\.test\/launch\/auth/, { timeout: 30_000 });
  await companion.getByRole('region', { name: 'Smoke reads' }).waitFor({ timeout: 30_000 });
  await companion.waitForTimeout(1500);
  await shoot(companion, 'companion');
} finally {
  await h.close();
}
