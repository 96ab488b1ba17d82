import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The build the benchmarks measure as "ours": `npm run build`'s output, or `BENCH_EXTENSION=<dir>`. */
export const EXTENSION_DIR =
  process.env.BENCH_EXTENSION || fileURLToPath(new URL('../../../.output/chrome-mv3', import.meta.url));
/**
 * Another build of the extension to measure side by side with ours (`BENCH_BASELINE=<dir>`, e.g. the main
 * branch built with `npx wxt build` and copied elsewhere): the browser benchmarks add it as "baseline".
 */
export const BASELINE_DIR = process.env.BENCH_BASELINE || undefined;

/** One Chromium with (or without) one extension, kept open for interleaved runs. */
export interface BenchBrowser {
  name: string;
  context: BrowserContext;
  extensionId: string;
  /** CPU seconds used so far by the extension's process (0 without an extension). */
  extensionCpu(): number;
  /** extensionCpu(), split by the thread that used it (see CpuSplit). */
  extensionCpuSplit(): CpuSplit;
  close(): Promise<void>;
}

export function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const TICKS_PER_SECOND = 100;

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * utime + stime in seconds of a process, or of one of its threads (`pid/task/<tid>`), from Linux /proc
 * (fields 14 and 15 after the command name).
 */
function cpuSeconds(pid: string): number {
  const stat = readProc(pid, 'stat');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds of the extension's process by thread: the service worker's thread, the main thread (where
 * the extension's pages run their scripts, style, layout and paint), the IPC thread, and the rest
 * (V8's helpers: garbage collection and compiling; raster; the compositor; threads that have ended).
 */
export interface CpuSplit {
  total: number;
  worker: number;
  pages: number;
  ipc: number;
  other: number;
}

function cpuSplit(pids: string[]): CpuSplit {
  const out: CpuSplit = { total: 0, worker: 0, pages: 0, ipc: 0, other: 0 };
  for (const pid of pids) {
    const total = cpuSeconds(pid);
    out.total += total;
    let named = 0;
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      // Chromium names its threads; the kernel keeps the first 15 characters.
      const name = readProc(`${pid}/task/${tid}`, 'comm').trim();
      const key =
        tid === pid
          ? 'pages'
          : name.startsWith('ServiceWorker')
            ? 'worker'
            : name.startsWith('Chrome_ChildIO')
              ? 'ipc'
              : undefined;
      if (!key) continue;
      const used = cpuSeconds(`${pid}/task/${tid}`);
      out[key] += used;
      named += used;
    }
    out.other += Math.max(0, total - named);
  }
  return out;
}

function parentOf(pid: string): string {
  const stat = readProc(pid, 'stat');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '0';
}

/** The renderer that hosts extensions (`--extension-process`) and descends from the browser using `profile`. */
function extensionPids(profile: string): string[] {
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const browsers = new Set(pids.filter((p) => readProc(p, 'cmdline').includes(profile)));
  return pids.filter((p) => {
    if (!readProc(p, 'cmdline').includes('--extension-process')) return false;
    for (let up = parentOf(p), hops = 0; up !== '0' && hops < 5; up = parentOf(up), hops++) {
      if (browsers.has(up)) return true;
    }
    return false;
  });
}

export async function launchBenchBrowser(
  name: string,
  extensionDir: string | undefined,
  chromiumArgs: string[],
): Promise<BenchBrowser> {
  if (extensionDir && !existsSync(join(extensionDir, 'manifest.json')))
    throw new Error(`No extension at ${extensionDir}: run npm run build first.`);
  const profile = mkdtempSync(join(tmpdir(), 'sld-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(extensionDir
        ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]
        : []),
      ...chromiumArgs,
    ],
    ignoreDefaultArgs: extensionDir ? ['--disable-extensions'] : [],
  });
  let extensionId = '';
  if (extensionDir) {
    const sw =
      context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    extensionId = new URL(sw.url()).host;
  }
  return {
    name,
    context,
    extensionId,
    extensionCpu: () => extensionPids(profile).reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    extensionCpuSplit: () => cpuSplit(extensionPids(profile)),
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page of the extension (the popup unless told), to talk to its worker as the popup and the log do. */
export async function extensionPage(b: BenchBrowser, path = 'popup.html'): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/${path}`);
  return page;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
