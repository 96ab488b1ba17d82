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

/**
 * Resolves once the worker has run its script and the browser has its event listeners. The
 * 'serviceworker' event comes when the worker's target appears, before its script has registered the
 * webRequest and webNavigation listeners: a page opened at once loses its first requests (one launch in
 * five began at its authorization page in a loop of fresh profiles). Evaluating in the worker waits for the
 * script to have run; the extension call after it is answered by the browser, which has by then handled
 * the listener registrations the worker sent before it.
 */
export async function listenersReady(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: { runtime: { getPlatformInfo(): Promise<unknown> } } })
      .chrome;
    await c.runtime.getPlatformInfo();
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
    let extensionId = '';
    if (opts.loadExtension) {
      const worker = await findServiceWorker(context);
      await listenersReady(worker);
      extensionId = new URL(worker.url()).host;
    }
    return { context, extensionId };
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
}
