/**
 * A Playwright persistent context with the unpacked extension loaded, used by the guided demo and the e2e
 * harness: Playwright adds --disable-extensions by default, which has to go for --load-extension to apply.
 */
import { type BrowserContext, chromium, type Worker } from 'playwright-core';

export interface ExtensionContextOptions {
  executablePath: string;
  userDataDir: string;
  args: string[];
  headless?: boolean;
  loadExtension: boolean;
}

/** The extension's background service worker, waiting for it when it has not started yet. */
export async function findServiceWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (existing) return existing;
  return context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith('chrome-extension://'),
    timeout: 30_000,
  });
}

export async function launchExtensionContext(
  opts: ExtensionContextOptions,
): Promise<{ context: BrowserContext; extensionId: string }> {
  const context = await chromium.launchPersistentContext(opts.userDataDir, {
    executablePath: opts.executablePath,
    headless: opts.headless ?? true,
    args: opts.args,
    ignoreDefaultArgs: opts.loadExtension ? ['--disable-extensions'] : [],
  });
  try {
    const extensionId = opts.loadExtension ? new URL((await findServiceWorker(context)).url()).host : '';
    return { context, extensionId };
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
}
