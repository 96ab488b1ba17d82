/**
 * The guided demo (`npm run demo`, or `npm start` without a display): a headless Chromium with the built
 * extension against the sandbox goes through the forceAuthn story — launch the companion and sign in,
 * launch again and get the 400, read the extension's diagnosis, apply the popup's fix, launch again and
 * succeed — and reports each launch. Screenshots go to `outDir`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { type LaunchSummary, summarizeLaunch } from '../../utils/cli/summary';
import type { Launch } from '../../utils/model';
import type { Sandbox } from '../index';
import { findBrowser, ignoresLoadExtensionFlag } from './browser-find';
import { ensureBuilds } from './builds';
import { startDemoBrowser } from './demo-browser';
import { createStages, type StageTiming } from './demo-stages';
import {
  applyPopupFix,
  badRequestShown,
  COMPANION_ORIGIN,
  companionLoaded,
  type FixApplied,
  launchCompanion,
  listLaunches,
  newestCompanionLaunch,
  relaunchedCompanionPage,
  signIn,
} from './demo-steps';

export interface DemoOptions {
  outDir: string;
  build?: boolean;
  /** Load the extension over the DevTools protocol even where --load-extension works. */
  viaDevtools?: boolean;
  log(line: string): void;
}

export interface DemoResult {
  launches: LaunchSummary[];
  fix: FixApplied;
  companionWatched: boolean;
  timings: StageTiming[];
  screenshots: string[];
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  let interrupted = false;
  /** The browser's shutdown started by Ctrl-C, awaited before its profile is deleted. */
  let closing: Promise<void> | undefined;
  const stages = createStages(opts.log, () => interrupted);
  const screenshots: string[] = [];
  mkdirSync(opts.outDir, { recursive: true });
  // Screenshots of an earlier run would mix with this one's; only files the demo writes are removed.
  for (const name of readdirSync(opts.outDir))
    if (/^(\d+-[a-z0-9-]+|failure)\.png$/.test(name)) rmSync(join(opts.outDir, name));
  const shoot = async (page: Page, name: string) => {
    const path = join(opts.outDir, `${screenshots.length + 1}-${name}.png`);
    await page.screenshot({ path });
    screenshots.push(path);
  };
  const temp = mkdtempSync(join(tmpdir(), 'sld-demo-'));
  let sandbox: Sandbox | undefined;
  let context: BrowserContext | undefined;
  let lastPage: Page | undefined;
  const onInterrupt = () => {
    interrupted = true;
    opts.log('\nCtrl-C: stopping the demo …');
    closing = context?.close().catch(() => undefined);
  };
  process.once('SIGINT', onInterrupt);
  try {
    await stages.run('build the extension and the companion app', async () =>
      ensureBuilds(opts.log, opts.build),
    );
    const browser = await stages.run('find a browser', async () => {
      const found = findBrowser();
      const viaDevtools = opts.viaDevtools || ignoresLoadExtensionFlag(found);
      opts.log(
        `    ${found.version ?? found.path} (${found.source}); extension loaded via ${viaDevtools ? 'the DevTools protocol' : 'the command line'}`,
      );
      return { ...found, viaDevtools };
    });
    const started = await stages.run(
      'start the sandbox and a headless browser with the extension',
      async () => {
        const up = await startDemoBrowser(browser.path, temp, browser.viaDevtools);
        // Kept at once so that a Ctrl-C right after this stage still stops them.
        sandbox = up.sandbox;
        context = up.context;
        return up;
      },
    );
    const ctx = started.context;
    const ext = (path: string) => `chrome-extension://${started.extensionId}/${path}`;
    const extPage = await ctx.newPage();
    await extPage.goto(ext('popup.html'));

    await stages.run('launch the companion from the Code Console and sign in (portal/portal)', async () => {
      lastPage = await launchCompanion(ctx);
      await shoot(lastPage, 'code-console');
      await signIn(lastPage);
      await companionLoaded(lastPage);
      await shoot(lastPage, 'companion-signed-in');
      // Closed so that the only companion page later on is the relaunched one.
      await lastPage.close();
    });
    await stages.run('launch again: reproduce the forceAuthn 400', async () => {
      lastPage = await launchCompanion(ctx);
      await badRequestShown(lastPage);
      await shoot(lastPage, 'forceauthn-400');
    });
    const diagnosis = await stages.run("read the extension's diagnosis", async () => {
      const failed = await newestCompanionLaunch(extPage, (l) => l.status === 'failed', 'a failed launch');
      const finding = failed.findings.find((f) => f.fixes.some((x) => x.kind === 'enable-strip-rule'));
      if (!finding)
        throw new Error(
          `no finding offers the strip rule (${failed.findings.map((f) => f.ruleId).join(', ') || 'no findings'})`,
        );
      lastPage = await ctx.newPage();
      await lastPage.goto(ext('log.html'));
      await lastPage
        .getByText(finding.title)
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
      await shoot(lastPage, 'launch-log');
      opts.log(`    ${failed.statusReason ?? finding.title}`);
      return finding;
    });
    const fix = await stages.run(
      `apply the popup's fix (${diagnosis.fixes.find((x) => x.kind === 'enable-strip-rule')!.label})`,
      async () => {
        lastPage = await ctx.newPage();
        await lastPage.goto(ext('popup.html'));
        const applied = await applyPopupFix(lastPage);
        await shoot(lastPage, 'popup-fix');
        return applied;
      },
    );
    await stages.run('complete the launch', async () => {
      if (fix === 'rule-on') {
        lastPage = await launchCompanion(ctx);
        await companionLoaded(lastPage);
      } else {
        lastPage = await relaunchedCompanionPage(ctx);
        await companionLoaded(lastPage);
      }
      await shoot(lastPage, 'companion-after-fix');
      // Without the Watch permission the token exchange is invisible: the launch is done for the extension
      // once the redirect reached the companion.
      const reachedApp = (l: Launch) =>
        l.status !== 'failed' &&
        l.steps.some((st) => st.exchange.url.startsWith(`${COMPANION_ORIGIN}/launch/auth`) && !st.failed);
      await newestCompanionLaunch(
        extPage,
        (l) => l.status === 'succeeded' || (!started.companionWatched && reachedApp(l)),
        started.companionWatched ? 'a succeeded launch after the fix' : 'a launch that reached the companion',
      );
    });
    const launches = (await listLaunches(extPage)).reverse().map(summarizeLaunch);
    return {
      launches,
      fix,
      companionWatched: started.companionWatched,
      timings: stages.timings,
      screenshots,
    };
  } catch (e) {
    if (lastPage && !lastPage.isClosed())
      await lastPage.screenshot({ path: join(opts.outDir, 'failure.png') }).catch(() => undefined);
    throw e;
  } finally {
    process.off('SIGINT', onInterrupt);
    await closing;
    await context?.close().catch(() => undefined);
    await sandbox?.close();
    // Chromium may still be writing to its profile when it was stopped by Ctrl-C: retry, never throw.
    try {
      rmSync(temp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      opts.log(`Could not remove ${temp}; delete it by hand.`);
    }
  }
}
