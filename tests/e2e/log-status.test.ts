/**
 * The status of a companion launch with DevTools closed, as the extension decides it and as the user
 * sees it. Not watched: the code reaches the app but its token request is invisible, so the launch is
 * `authorized` once it settles (SETTLE_MS of inactivity), with a reason saying why and the Watch fix.
 * Watched (the optional host permission granted): `succeeded`, with the app's token request.
 * Needs `npm run build` and `npm run build:web`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../utils/diagnose/context';
import type { Launch } from '../../utils/model';
import {
  APP_ORIGIN,
  allLaunches,
  appSettled,
  companionLaunches,
  findingTitles,
  fullLaunch,
  launchCompanion,
  launchSummaries,
  logRows,
} from './companion';
import { assertCompanionBuilt, type Harness, startHarness } from './harness';

let h: Harness;

beforeAll(async () => {
  assertCompanionBuilt();
  h = await startHarness({ quirk: 'none' });
});
afterAll(async () => {
  await h?.close();
});

/** A new tab, a fresh session, a launch signed in to the companion's callback; the new launch. */
async function launchOnce(): Promise<Launch> {
  const before = new Set((await companionLaunches(h)).map((l) => l.id));
  await h.context.clearCookies();
  const page = await h.context.newPage();
  await launchCompanion(page, { signIn: true });
  // Closing the tab before the app's token request ends would abort it.
  await appSettled(page);
  await page.close();
  let launch: Launch | undefined;
  try {
    await expect
      .poll(
        async () => {
          launch = (await companionLaunches(h)).find((l) => !before.has(l.id));
          return launch?.steps.some((s) => s.kind === 'callback');
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  } catch (error) {
    // What the log holds instead, so a failure here says which part of the launch went where.
    const all = (await allLaunches(h)).map(
      (l) =>
        `${l.id} ${l.status} ${l.redirectUri ?? '-'}: ${l.steps.map((s) => `${s.kind}@${s.exchange.tabId}`).join(' ')}`,
    );
    throw new Error(`no new companion launch with a callback; the log holds:\n${all.join('\n')}`, {
      cause: error,
    });
  }
  return launch!;
}

/** The launch recorded while the origin was not watched. */
let unwatched: string | undefined;
const summaryOf = async (id: string) => (await launchSummaries(h)).find((s) => s.id === id);

describe('launch status without DevTools (e2e)', () => {
  it('not watched: in progress, then authorized with the reason and the Watch fix', async () => {
    const launch = await launchOnce();
    unwatched = launch.id;
    expect(launch.steps.some((s) => s.kind === 'token')).toBe(false);
    // Just after the callback the launch may still move: not yet authorized, and not failed.
    expect((await summaryOf(launch.id))?.status).toBe('in-progress');
    // Once nothing happened for SETTLE_MS, the list and the popup say authorized.
    await expect
      .poll(async () => (await summaryOf(launch.id))?.status, {
        timeout: SETTLE_MS + 30_000,
        interval: 2_000,
      })
      .toBe('authorized');
    const summary = (await fullLaunch(h, launch.id))!;
    expect(summary.statusReason).toBe(
      `The code reached ${APP_ORIGIN}, but its token request was not visible: ${APP_ORIGIN} is not watched and DevTools was not open on the tab.`,
    );
    expect(summary.findings[0]).toMatchObject({ ruleId: 'token-not-visible', severity: 'warning' });
    // Apart from the invisible token exchange, the companion's launch raises no warning (state, PKCE).
    expect(summary.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId)).toEqual([
      'token-not-visible',
    ]);

    const log = await h.extensionPage('log.html');
    const row = log.locator(`[id="sld-launch-${launch.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-status')).toBe('authorized');
    expect(await row.textContent()).toContain('authorized, token exchange not visible');
    expect(await logRows(log).count()).toBe((await launchSummaries(h)).length);
    await row.click();
    const detail = log.getByRole('article', { name: /^Launch of / });
    await expect.poll(() => detail.locator('.sld-status-reason').textContent()).toBe(summary.statusReason);
    expect((await findingTitles(log))[0]).toMatch(/Token exchange not visible/);
    expect(
      await log
        .getByRole('region', { name: 'Findings' })
        .getByRole('button', { name: 'Watch companion.smartdebugger.test', exact: true })
        .count(),
    ).toBe(1);
    await log.close();

    const popup = await h.extensionPage('popup.html');
    const heading = popup.locator('#sldp-card-title');
    await heading.waitFor({ timeout: 10_000 });
    expect(await heading.textContent()).toMatch(/Last launch authorized$/);
    expect(await popup.locator('.sldp-card-cause').textContent()).toBe(summary.statusReason);
    expect(
      await popup.getByRole('button', { name: 'Watch companion.smartdebugger.test', exact: true }).count(),
    ).toBe(1);
    await popup.close();
  });

  it('watched: succeeded at once, with the app’s token request (200) and no warning', async () => {
    await h.grantOrigins([`${APP_ORIGIN}/*`]);
    const launch = await launchOnce();
    await expect
      .poll(async () => (await summaryOf(launch.id))?.status, { timeout: 20_000 })
      .toBe('succeeded');
    const [recorded] = (await companionLaunches(h)).filter((l) => l.id === launch.id);
    const tokens = recorded!.steps.filter((s) => s.kind === 'token');
    expect(tokens.map((s) => [s.exchange.method, s.exchange.status])).toEqual([['POST', 200]]);
    expect(tokens[0]!.exchange.secretFacts?.codeFingerprint).toBe(
      recorded!.steps.find((s) => s.kind === 'callback')!.exchange.secretFacts?.codeFingerprint,
    );
    expect(recorded!.statusReason).toBeUndefined();
    expect(recorded!.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId)).toEqual([]);
    // The launch recorded before the origin was watched still says why its token request is missing,
    // and kept its own steps: the browser restart behind grantOrigins numbers requests from 1 again, and
    // those ids get the new browser session's tag (entrypoints/background/recorder.ts, browserSession).
    await expect
      .poll(async () => (await summaryOf(unwatched!))?.status, {
        timeout: SETTLE_MS + 30_000,
        interval: 2_000,
      })
      .toBe('authorized');
    const before = await fullLaunch(h, unwatched!);
    expect(before!.statusReason).toContain(`${APP_ORIGIN} was not watched when this launch ran`);
  });
});
