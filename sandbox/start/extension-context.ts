/**
 * A Playwright persistent context with the unpacked extension loaded, used by the guided demo and the e2e
 * harness. Playwright adds --disable-extensions by default, which has to go for --load-extension to apply;
 * branded Chrome 137+ ignores that flag, so there the extension is loaded over the DevTools protocol.
 */
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { EXTENSION_DIR } from './chromium-flags';

export interface ExtensionContextOptions {
  executablePath: string;
  userDataDir: string;
  args: string[];
  headless?: boolean;
  loadExtension: boolean;
  /** Default true: Playwright closes the browser on Ctrl-C and exits; false leaves Ctrl-C to the caller. */
  handleSIGINT?: boolean;
  /** Load with Extensions.loadUnpacked instead of --load-extension (leave the flag out of `args`). */
  viaDevtools?: boolean;
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

async function loadOverDevtools(context: BrowserContext): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser behind the persistent context');
  const cdp = await browser.newBrowserCDPSession();
  try {
    // Not in Playwright's protocol typings; the method exists with --enable-unsafe-extension-debugging.
    await (cdp.send as (method: string, params: object) => Promise<unknown>)('Extensions.loadUnpacked', {
      path: EXTENSION_DIR,
    });
  } finally {
    await cdp.detach();
  }
}

export async function launchExtensionContext(
  opts: ExtensionContextOptions,
): Promise<{ context: BrowserContext; extensionId: string }> {
  const viaDevtools = opts.loadExtension && opts.viaDevtools;
  const context = await chromium.launchPersistentContext(opts.userDataDir, {
    executablePath: opts.executablePath,
    headless: opts.headless ?? true,
    handleSIGINT: opts.handleSIGINT ?? true,
    args: viaDevtools ? [...opts.args, '--enable-unsafe-extension-debugging'] : opts.args,
    ignoreDefaultArgs: opts.loadExtension ? ['--disable-extensions'] : [],
  });
  try {
    if (viaDevtools) await loadOverDevtools(context);
    const extensionId = opts.loadExtension ? new URL((await findServiceWorker(context)).url()).host : '';
    return { context, extensionId };
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
}
