/**
 * Browser harness shared by every e2e test: the sandbox on an ephemeral port plus Debian Chromium (headless,
 * persistent profile) with the built extension loaded and every sandbox hostname mapped to it.
 *
 * Stable API:
 *   const h = await startHarness({ quirk?: Quirk, extraArgs?: string[], loadExtension?: boolean (default true),
 *                                  extraExtensions?: string[] (unpacked extensions loaded next to ours) });
 *   h.sandbox          the running sandbox (h.sandbox.requestLog, h.sandbox.setQuirk('none'), h.sandbox.hosts …)
 *   h.context          Playwright BrowserContext (persistent)
 *   h.extensionId      id of the loaded extension ('' when loadExtension is false)
 *   h.userDataDir      the Chromium profile directory
 *   await h.serviceWorker()            the extension's background service worker (Playwright Worker)
 *   await h.extensionPage('popup.html') a new page on chrome-extension://<id>/popup.html
 *   await h.restart()  closes Chromium and relaunches it on the same profile (context/extensionId refreshed,
 *                      the sandbox keeps running with its state and log)
 *   await h.grantOrigins(['https://app.example/*'])  grants optional host permissions as if the user had
 *                      accepted the prompt (headless Chromium cannot answer it): Chromium stores an accepted
 *                      grant in the profile's Preferences, so the harness writes it there and restarts
 *   await h.waitForDevtoolsPages(n)  with --auto-open-devtools-for-tabs: waits until n DevTools windows have
 *                      loaded the extension's DevTools page (requests made before that are not seen)
 *   await h.close()    closes Chromium and the sandbox and deletes the temporary directories
 *
 * Hostnames are mapped with --host-resolver-rules and the sandbox certificate is trusted through
 * --ignore-certificate-errors-spki-list (only that key is accepted; other certificate errors still fail).
 * The extension must be built first (`npm run build`, which `npm run test:e2e` does).
 * The flags and the Playwright launch are shared with `npm start` and the guided demo (sandbox/start/).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { type Quirk, type Sandbox, startSandbox } from '../../sandbox';
import {
  EXTENSION_DIR,
  extensionBuilt,
  loadExtensionFlags,
  QUIET_FLAGS,
} from '../../sandbox/start/chromium-flags';
import { findServiceWorker, launchExtensionContext } from '../../sandbox/start/extension-context';
import { editPreferences, grantInProfile } from '../../sandbox/start/profile-prefs';

export { EXTENSION_DIR, editPreferences };

const WEB_DIST = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';

export interface Harness {
  sandbox: Sandbox;
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  serviceWorker(): Promise<Worker>;
  extensionPage(path: string): Promise<Page>;
  restart(whileClosed?: () => void): Promise<void>;
  grantOrigins(origins: string[]): Promise<void>;
  waitForDevtoolsPages(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  quirk?: Quirk;
  extraArgs?: string[];
  /** Default true; false starts Chromium without the extension (for baseline checks). */
  loadExtension?: boolean;
  /**
   * Unpacked extensions loaded next to ours. Without a background worker of their own: the harness finds
   * our extension by its worker.
   */
  extraExtensions?: string[];
}

function assertBuilt(): void {
  if (!extensionBuilt())
    throw new Error(
      `No extension build at ${EXTENSION_DIR}/manifest.json: run npm run build (npm run test:e2e does it).`,
    );
}

/** Throws a clear error when the companion app (served by the sandbox) has not been built. */
export function assertCompanionBuilt(): void {
  if (!existsSync(WEB_DIST)) throw new Error('No companion build in web/dist: run npm run build:web first.');
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const loadExtension = opts.loadExtension ?? true;
  if (loadExtension) assertBuilt();
  const keysDir = mkdtempSync(join(tmpdir(), 'sld-keys-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'sld-profile-'));
  const sandbox = await startSandbox({ keysDir, ...(opts.quirk ? { quirk: opts.quirk } : {}) });

  const args = [
    '--no-sandbox',
    '--disable-gpu',
    ...QUIET_FLAGS,
    ...(loadExtension ? loadExtensionFlags(EXTENSION_DIR, opts.extraExtensions) : []),
    ...sandbox.chromiumArgs,
    ...(opts.extraArgs ?? []),
  ];

  const launch = () =>
    launchExtensionContext({ executablePath: CHROMIUM, userDataDir, args, headless: true, loadExtension });

  let current: { context: BrowserContext; extensionId: string };
  try {
    current = await launch();
  } catch (e) {
    await sandbox.close();
    rmSync(keysDir, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }

  const harness: Harness = {
    sandbox,
    context: current.context,
    extensionId: current.extensionId,
    userDataDir,
    serviceWorker: () => findServiceWorker(harness.context),
    async extensionPage(path) {
      if (!harness.extensionId) throw new Error('the harness was started without the extension');
      const page = await harness.context.newPage();
      await page.goto(`chrome-extension://${harness.extensionId}/${path.replace(/^\//, '')}`);
      return page;
    },
    async restart(whileClosed?: () => void) {
      await harness.context.close();
      whileClosed?.();
      current = await launch();
      harness.context = current.context;
      harness.extensionId = current.extensionId;
    },
    async grantOrigins(origins) {
      const id = harness.extensionId;
      if (!id) throw new Error('the harness was started without the extension');
      await harness.restart(() => grantInProfile(userDataDir, id, origins));
    },
    async waitForDevtoolsPages(count) {
      const browser = harness.context.browser();
      if (!browser) throw new Error('no browser behind the persistent context');
      const cdp = await browser.newBrowserCDPSession();
      try {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
          const loaded = targetInfos.filter(
            (t) => t.url === `chrome-extension://${harness.extensionId}/devtools.html`,
          ).length;
          if (loaded >= count) return;
          if (Date.now() > deadline)
            throw new Error(`${loaded} of ${count} DevTools pages loaded after 30 s`);
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await cdp.detach();
      }
    },
    async close() {
      await harness.context.close().catch(() => undefined);
      await sandbox.close();
      rmSync(keysDir, { recursive: true, force: true });
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
