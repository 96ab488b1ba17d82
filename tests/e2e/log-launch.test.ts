/**
 * The launch log page against a real launch: Chromium with the extension, Oracle hosts on the sandbox.
 * A second Code Console launch fails with the forceAuthn 400; the log lists it with the finding; one press
 * of the finding's primary button turns the strip rule on and starts the launch again in the tab that
 * failed, which reaches the app and shows up as a new successful launch.
 * The developer has let the extension watch the app's origin (the optional permission its "Watch" fix asks
 * for), so the app's token request is part of the record. Importing a DevTools HAR of the same failure shows
 * the same diagnosis.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { CALLBACK, launchFromConsole, signIn } from './launches';

const APP_ORIGIN = 'https://companion.smartdebugger.test';
// The same launch as DevTools saved it (tests/fixtures/har/record.ts).
const HAR = join(process.cwd(), 'tests/fixtures/har/sandbox-forceauthn-400.har');
const PLAYWRIGHT_ZIP = join(process.cwd(), 'tests/fixtures/har/playwright-forceauthn-400.zip');

const rows = (log: Page) => log.locator('[role="listbox"] [role="option"]');
const findingTitles = (log: Page) =>
  log.getByRole('region', { name: 'Findings' }).getByRole('heading', { level: 3 }).allTextContents();

describe('launch log page (e2e)', () => {
  let h: Harness;
  let log: Page;
  let failingTab: Page;
  let liveFindings: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    await h.grantOrigins([`${APP_ORIGIN}/*`]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the failed launch with the forceAuthn finding', async () => {
    await signIn(await launchFromConsole(h.context));

    failingTab = await launchFromConsole(h.context);
    await expect.poll(() => failingTab.locator('h1').textContent()).toBe('Bad Request');

    log = await h.extensionPage('log.html');
    const failed = rows(log).and(log.locator('[data-status="failed"]'));
    await expect.poll(() => failed.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await failed.first().click();
    await expect.poll(() => findingTitles(log)).toContainEqual(expect.stringMatching(/forceAuthn/));
    liveFindings = await findingTitles(log);
    // The failing step is the session-api hop, opened in the timeline with its 400.
    const failingStep = log.locator('.sld-step[data-failed-at] .sld-step-row');
    expect(await failingStep.textContent()).toMatch(/400.*\/session-api\/realm\//);
  });

  it('at the size of DevTools docked at the bottom, only the panes scroll: the header stays in view', async () => {
    // The failing step is open with its `to=` parameters, far below the pane's bottom edge.
    await log.setViewportSize({ width: 1000, height: 330 });
    const overflow = () =>
      log.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Bringing the end of the detail into view scrolls its pane, not the page.
    await log.locator('.sld-detail-pane').evaluate((pane) => pane.lastElementChild?.scrollIntoView());
    expect(await log.evaluate(() => document.documentElement.scrollTop)).toBe(0);
    await log.setViewportSize({ width: 1280, height: 720 });
  });

  it('one press of the finding’s primary button relaunches, and the relaunch goes through as a new launch', async () => {
    const before = await rows(log).count();
    const findings = log.getByRole('region', { name: 'Findings' });
    let clicks = 0;
    const press = async (name: string) => {
      clicks++;
      await findings.getByRole('button', { name }).click();
    };
    await press('Strip forceAuthn and relaunch');

    // The launch starts again from the Code Console page in the tab that failed, and reaches the app.
    await failingTab.waitForURL(CALLBACK, { timeout: 30_000 });
    await expect.poll(() => failingTab.locator('#exchange').textContent()).toBe('token 200');
    expect(clicks).toBe(1);
    await log.getByText('✓ Strip forceAuthn on · relaunched in its tab.').waitFor();

    await expect.poll(() => rows(log).count(), { timeout: 20_000 }).toBe(before + 1);
    // Newest first: the relaunch heads the list, the log opened it in place of the launch it fixed, and
    // it succeeded once the token response came in: the notice says the fix worked.
    const head = rows(log).first();
    await expect.poll(() => head.getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await head.getAttribute('aria-selected')).toBe('true');
    await log
      .getByText('✓ Strip forceAuthn on · relaunched in its tab. ✓ The fix worked: the relaunch succeeded.')
      .waitFor();
    // The launch it fixed: done reads as done: relaunch leads, turning the rule off is a secondary action.
    await rows(log).nth(1).click();
    await findings.getByText('✓ Strip forceAuthn on').waitFor();
    expect(
      await findings.getByRole('button', { name: 'Relaunch', exact: true }).getAttribute('data-variant'),
    ).toBe('primary');
    await findings.getByRole('button', { name: 'Turn Strip forceAuthn off' }).waitFor();
    await head.click();
    // Callback with a code after a session-api hop the extension rewrote, then the app's token request.
    const timeline = log.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent(), { timeout: 20_000 }).toContain('callback (code)');
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('rewritten by extension');
    expect(text).toMatch(/POST.*200.*\/token/);
    expect((await findingTitles(log)).filter((t) => t.startsWith('✕'))).toEqual([]);
  });

  it('imports a DevTools HAR of the failing launch and shows the same diagnosis', async () => {
    await log.locator('input[type="file"]').setInputFiles(HAR);
    await log.getByText(/Imported 1 launch from sandbox-forceauthn-400\.har/).waitFor();
    const imported = rows(log).filter({ hasText: 'imported' });
    await imported.first().click();
    await expect.poll(() => findingTitles(log)).toContainEqual(expect.stringMatching(/forceAuthn/));
    expect(await findingTitles(log)).toEqual(liveFindings);
  });

  it("imports the .zip Playwright's recordHar saved (the HAR and its bodies): both launches, the same diagnosis", async () => {
    await log.locator('input[type="file"]').setInputFiles(PLAYWRIGHT_ZIP);
    await log.getByText(/Imported 2 launches from playwright-forceauthn-400\.zip/).waitFor();
    const failed = rows(log).and(log.locator('[data-status="failed"]')).filter({ hasText: 'imported' });
    await failed.first().click();
    await expect.poll(() => findingTitles(log)).toContainEqual(expect.stringMatching(/forceAuthn/));
  });

  it('rejects a broken HAR with a clear message and leaves the log untouched', async () => {
    const count = await rows(log).count();
    await log.locator('input[type="file"]').setInputFiles({
      name: 'broken.har',
      mimeType: 'application/json',
      buffer: Buffer.from('{"log": '),
    });
    await log.getByText(/Could not import broken\.har: .*The log is unchanged\./).waitFor();
    expect(await rows(log).count()).toBe(count);
  });

  it('puts the list and the detail side by side on a wide screen', async () => {
    await log.setViewportSize({ width: 1600, height: 900 });
    const list = await log.getByRole('listbox').boundingBox();
    const detail = await log.locator('.sld-detail-pane').boundingBox();
    expect(list && detail).toBeTruthy();
    expect(detail!.x).toBeGreaterThanOrEqual(list!.x + list!.width - 1);
    expect(Math.abs(detail!.y - list!.y)).toBeLessThan(120);
    expect(
      await log.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });

  it('stays readable at 320 px wide and keyboard navigable', async () => {
    await log.setViewportSize({ width: 320, height: 700 });
    const overflow = await log.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The rows' chips (persona, imported) stay whole; client and server give way.
    const chips = await log.evaluate(() =>
      [...document.querySelectorAll('.sld-row-title')].flatMap((title) => {
        const edge = title.getBoundingClientRect().right;
        return [...title.querySelectorAll('.sld-chip')].map(
          (c) => `${c.textContent}:${c.getBoundingClientRect().right <= edge + 0.5 ? 'shown' : 'cut'}`,
        );
      }),
    );
    expect(chips).toContain('imported:shown');
    expect(chips.filter((c) => c.endsWith(':cut'))).toEqual([]);
    const listbox = log.getByRole('listbox');
    await listbox.focus();
    await log.keyboard.press('Home');
    await log.keyboard.press('ArrowDown');
    await log.keyboard.press('Enter');
    const active = await listbox.getAttribute('aria-activedescendant');
    expect(await log.locator(`[id="${active}"]`).getAttribute('aria-selected')).toBe('true');
    // The Scopes table fits the pane: its headers break rather than push the pane sideways.
    await log.getByRole('tab', { name: /^Scopes/ }).click();
    await log.locator('table.sld-scopes').waitFor();
    const pane = await log.evaluate(() => {
      const p = document.querySelector('.sld-detail-pane')!;
      return p.scrollWidth - p.clientWidth;
    });
    expect(pane).toBeLessThanOrEqual(0);
  });
});
