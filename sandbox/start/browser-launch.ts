/**
 * Opens the user's browser for `npm start`: a dedicated profile, the extension loaded, Oracle's hostnames
 * mapped to the sandbox and its certificate pinned, on the Code Console page. The DevTools pipe stays open
 * to load the extension into branded Chrome 137+ and to close the browser cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Sandbox } from '../index';
import type { FoundBrowser } from './browser-find';
import { ignoresLoadExtensionFlag } from './browser-find';
import { type CdpPipe, cdpOverPipe } from './cdp-pipe';
import { EXTENSION_DIR, loadExtensionFlags, QUIET_FLAGS, rootFlags } from './chromium-flags';

export interface OpenBrowserOptions {
  browser: FoundBrowser;
  profileDir: string;
  sandbox: Sandbox;
  url: string;
  headless?: boolean;
  /** Load through Extensions.loadUnpacked even where --load-extension works (checks that path). */
  forceDevtoolsLoad?: boolean;
  /** Told how to stop the browser as soon as it is spawned (so Ctrl-C during start-up stops it too). */
  onSpawn?: (close: () => Promise<void>) => void;
}

export interface OpenedBrowser {
  extensionId: string;
  loadedVia: 'command line' | 'DevTools protocol';
  /** Resolves with the exit code when the browser process ends. */
  exited: Promise<number | null>;
  close(): Promise<void>;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

type TargetInfo = { type: string; url: string };

async function extensionIdFromTargets(cdp: CdpPipe, exited: () => boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !exited()) {
    const { targetInfos } = await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets');
    const worker = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
    );
    if (worker) return new URL(worker.url).host;
    await delay(200);
  }
  throw new Error(
    exited()
      ? 'the browser exited as it started.'
      : `the extension did not start within 20 s (loaded from ${EXTENSION_DIR}).`,
  );
}

/** Opens `url` in a new tab and closes the blank start-up tab. */
async function openPage(cdp: CdpPipe, url: string): Promise<void> {
  const { targetInfos } = await cdp.send<{ targetInfos: Array<TargetInfo & { targetId: string }> }>(
    'Target.getTargets',
  );
  const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url });
  await cdp.send('Target.activateTarget', { targetId });
  for (const t of targetInfos)
    if (t.type === 'page' && t.url === 'about:blank')
      await cdp.send('Target.closeTarget', { targetId: t.targetId });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

export async function openBrowser(opts: OpenBrowserOptions): Promise<OpenedBrowser> {
  const viaDevtools = opts.forceDevtoolsLoad || ignoresLoadExtensionFlag(opts.browser);
  const args = [
    ...rootFlags(),
    ...QUIET_FLAGS,
    `--user-data-dir=${opts.profileDir}`,
    '--remote-debugging-pipe',
    ...(viaDevtools ? ['--enable-unsafe-extension-debugging'] : loadExtensionFlags()),
    ...(opts.headless ? ['--headless'] : []),
    ...opts.sandbox.chromiumArgs,
    // The page is opened once the extension runs (below): a tab opened from the command line next to an
    // unpacked extension can stay stuck before its first request, and the extension would miss it anyway.
    'about:blank',
  ];
  // Its own process group: Ctrl-C reaches only us, and stopping the group leaves no helper behind.
  const child: ChildProcess = spawn(opts.browser.path, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  // Chromium is chatty on stderr; keep the tail to explain a failed start.
  let stderrTail = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString('utf8')).slice(-2000);
  });
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      hasExited = true;
      resolve(code);
    });
    child.once('error', () => {
      hasExited = true;
      resolve(null);
    });
  });
  const cdp = cdpOverPipe(child);
  const close = async () => {
    if (hasExited) return;
    await Promise.race([cdp.send('Browser.close').catch(() => undefined), delay(3000)]);
    if (!hasExited) killGroup(child, 'SIGTERM');
    if (!(await Promise.race([exited.then(() => true), delay(5000).then(() => false)])))
      killGroup(child, 'SIGKILL');
    await exited;
  };
  opts.onSpawn?.(close);
  try {
    const extensionId = viaDevtools
      ? (await cdp.send<{ id: string }>('Extensions.loadUnpacked', { path: EXTENSION_DIR })).id
      : await extensionIdFromTargets(cdp, () => hasExited);
    await openPage(cdp, opts.url);
    return {
      extensionId,
      loadedVia: viaDevtools ? 'DevTools protocol' : 'command line',
      exited,
      close,
    };
  } catch (e) {
    await close();
    if (/ProcessSingleton|SingletonLock/.test(stderrTail))
      throw new Error(
        `the profile ${opts.profileDir} is in use by another browser window (an earlier npm start?): close it or pass --profile <folder>.`,
      );
    const tail = stderrTail.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${(e as Error).message}${tail ? `\nBrowser output:\n${tail}` : ''}`);
  }
}
