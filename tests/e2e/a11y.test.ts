/**
 * Every control on the popup, the launch log (empty, and with a failed launch open) and the options page
 * has an accessible name, as Chromium's accessibility tree reports it; the log's headings form one outline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unnamedControls } from './a11y';
import { type Harness, startHarness } from './harness';
import { launchFromConsole, signIn } from './launches';

describe('accessibility: no unnamed control (e2e)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(['popup.html', 'log.html', 'options.html'])('%s with nothing recorded', async (path) => {
    const page = await h.extensionPage(path);
    await page.locator('.sld-root').first().waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.close();
  });

  it('keyboard focus is drawn on "Import HAR" (the hidden file input it labels takes the focus)', async () => {
    const page = await h.extensionPage('log.html');
    await page.locator('.sld-root').first().waitFor();
    const label = page.locator('label.sld-button');
    const outline = () => label.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(await outline()).toBe('none');
    // The first Tab stop of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('file');
    expect(await outline()).toBe('solid');
    await page.close();
  });

  it('the check itself finds an icon-only button and a bare checkbox', async () => {
    const page = await h.extensionPage('options.html');
    await page.locator('.sld-root').first().waitFor();
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<button><svg></svg></button><input type="checkbox">');
    });
    expect((await unnamedControls(page)).map((c) => c.role).sort()).toEqual(['button', 'checkbox']);
    await page.close();
  });

  it('the popup and the log with a failed launch selected', async () => {
    await signIn(await launchFromConsole(h.context));
    await launchFromConsole(h.context);
    const log = await h.extensionPage('log.html');
    const failed = log.locator('[role="listbox"] [role="option"][data-status="failed"]');
    await expect.poll(() => failed.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await failed.first().click();
    await log.getByRole('region', { name: 'Findings' }).waitFor();
    expect(await unnamedControls(log)).toEqual([]);
    // One heading outline: h1 the page, h2 the launch, h3 its findings and sections; no level skipped.
    const levels = await log.evaluate(() =>
      [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
    );
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    expect(levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1)).toEqual([]);
    expect(levels).toContain(3);
    const popup = await h.extensionPage('popup.html');
    await popup.locator('.sld-root').first().waitFor();
    expect(await unnamedControls(popup)).toEqual([]);
  });
});
