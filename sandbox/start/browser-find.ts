/**
 * Finds a Chromium-family browser on its own: $CHROME_PATH, then Debian/Ubuntu Chromium, Chrome for Testing
 * (Playwright's and Puppeteer's download folders), then Google Chrome. Branded Google Chrome 137+ ignores
 * --load-extension; the launcher loads the extension over the DevTools protocol there instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type BrowserKind = 'chromium' | 'chrome-for-testing' | 'google-chrome' | 'unknown';

export interface FoundBrowser {
  path: string;
  /** Where the path came from, for messages. */
  source: string;
  kind: BrowserKind;
  /** e.g. "Chromium 156.0.8078.114"; undefined when the browser cannot print it (Windows). */
  version?: string;
  major?: number;
}

/** Reads `<browser> --version` output ("Google Chrome 137.0.7151.55", "Chromium 156.0…"). */
export function parseVersion(output: string): { kind: BrowserKind; major?: number; version?: string } {
  const line = output
    .split('\n')
    .find((l) => /\d+\.\d+/.test(l))
    ?.trim();
  if (!line) return { kind: 'unknown' };
  const major = Number(/(\d+)\.\d+/.exec(line)?.[1]);
  const kind: BrowserKind = /chrome for testing/i.test(line)
    ? 'chrome-for-testing'
    : /chromium/i.test(line)
      ? 'chromium'
      : /google chrome/i.test(line)
        ? 'google-chrome'
        : 'unknown';
  return { kind, major, version: line.replace(/\s+built on.*$/, '') };
}

/** Branded Chrome 137+ dropped --load-extension; every other build still honours it. */
export function ignoresLoadExtensionFlag(b: Pick<FoundBrowser, 'kind' | 'major'>): boolean {
  return b.kind === 'google-chrome' && (b.major === undefined || b.major >= 137);
}

/** Executables inside downloaded Chrome for Testing / Playwright Chromium folders, newest folder first. */
function downloaded(root: string, inner: string[][]): string[] {
  if (!existsSync(root)) return [];
  const dirs = readdirSync(root).sort().reverse();
  return dirs.flatMap((d) => inner.map((parts) => join(root, d, ...parts)));
}

export function candidates(
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): Array<{ path: string; source: string }> {
  const list: Array<{ path: string; source: string }> = [];
  const add = (source: string, paths: string[]) => {
    for (const path of paths) list.push({ path, source });
  };
  if (platform === 'linux') {
    add('Chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium']);
    add(
      'Chrome for Testing (Playwright)',
      downloaded(join(home, '.cache/ms-playwright'), [
        ['chrome-linux', 'chrome'],
        ['chrome-linux64', 'chrome'],
      ]),
    );
    add(
      'Chrome for Testing (Puppeteer)',
      downloaded(join(home, '.cache/puppeteer/chrome'), [['chrome-linux64', 'chrome']]),
    );
    add('Google Chrome', [
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/opt/google/chrome/chrome',
    ]);
  } else if (platform === 'darwin') {
    add('Chromium', ['/Applications/Chromium.app/Contents/MacOS/Chromium']);
    add('Chrome for Testing', [
      '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ]);
    add('Google Chrome', ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']);
  } else if (platform === 'win32') {
    const roots = [process.env.LOCALAPPDATA, process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)']];
    for (const root of roots.filter((r): r is string => !!r)) {
      add('Chromium', [join(root, 'Chromium', 'Application', 'chrome.exe')]);
      add('Google Chrome', [join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')]);
    }
  }
  return list;
}

function probe(path: string, source: string): FoundBrowser {
  // Chrome on Windows opens a window instead of printing its version; judge by the folder there.
  if (process.platform === 'win32')
    return { path, source, kind: /Google[\\/]Chrome/.test(path) ? 'google-chrome' : 'chromium' };
  let out = '';
  try {
    out = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
    });
  } catch {
    // A browser that cannot print its version may still start; the launch reports real failures.
  }
  const parsed = parseVersion(out);
  const kind = parsed.kind === 'unknown' && source !== 'CHROME_PATH' ? kindFromSource(source) : parsed.kind;
  return { path, source, ...parsed, kind };
}

function kindFromSource(source: string): BrowserKind {
  if (source.startsWith('Chrome for Testing')) return 'chrome-for-testing';
  return source === 'Google Chrome' ? 'google-chrome' : source === 'Chromium' ? 'chromium' : 'unknown';
}

export class NoBrowserError extends Error {}

export function findBrowser(env: NodeJS.ProcessEnv = process.env): FoundBrowser {
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new NoBrowserError(`CHROME_PATH=${fromEnv} does not exist.`);
    return probe(fromEnv, 'CHROME_PATH');
  }
  const hit = candidates().find((c) => existsSync(c.path));
  if (!hit)
    throw new NoBrowserError(
      'No Chromium or Chrome found. Install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH=/path/to/chrome.',
    );
  return probe(hit.path, hit.source);
}
