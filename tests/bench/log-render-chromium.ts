import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_SETTINGS } from '../../utils/capture/bounds';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { summarizeLaunch } from '../../utils/launch/summary';
import { manyLaunches } from '../fixtures/launches/many';
import { CHROMIUM, EXTENSION_DIR, median } from './browser/chromium';
import { ms, type Row } from './table';

/**
 * The launch log page as built (`npm run build`: .output/chrome-mv3/log.html and its chunks, the bundle
 * users get) in headless Chromium, real layout and paint. The page is served over HTTP with a stand-in
 * for the background: `runtime.sendMessage` answers as the background would (`launches/changes`: every summary, newest first; the
 * open launch in full), after a task and through JSON as extension messaging delivers it; the summaries are
 * held until the page shows its loading state and is idle. Measured from the moment they reach the page — its JSON parse included — until the list rows and
 * the open launch are in the DOM, then until the next painted frame. Median of fresh browser contexts.
 * Skipped with a note when Chromium or the build is missing.
 */

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const ROUNDS = 5;

export interface Marks {
  summariesAt?: number;
  listAt?: number;
  detailAt?: number;
  paintAt?: number;
  rows?: number;
}

/**
 * Runs in the page before its scripts: the background stand-in and the marks. The summaries are held until
 * `benchRelease()` (called once the page shows "Loading launches…" and has settled, so the harness's own
 * scripts run outside the measured time), which resolves with the marks after the first painted frame.
 */
export function installStandIn(answers: Record<string, string>) {
  const marks: Marks = {};
  let release: () => void = () => {};
  let painted: (marks: Marks) => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  // Messages the stand-in has no answer for: named when the page does not render (the page's reads changed).
  const unanswered = new Set<string>();
  (window as unknown as { benchUnanswered: () => string[] }).benchUnanswered = () => [...unanswered];
  const done = new Promise<Marks>((resolve) => (painted = resolve));
  (window as unknown as { benchRelease: () => Promise<Marks> }).benchRelease = () => {
    release();
    return done;
  };
  const runtime = {
    id: 'bench',
    getURL: (path: string) => path,
    onMessage: { addListener() {}, removeListener() {}, hasListener: () => false },
    sendMessage(envelope: { type: string; payload?: { id?: string } }) {
      const key =
        envelope.type === 'launches/get' ? `${envelope.type} ${envelope.payload?.id}` : envelope.type;
      const text =
        answers[key] ?? (envelope.type === 'launches/get' ? '{"ok":true,"value":null}' : undefined);
      if (text === undefined) unanswered.add(envelope.type);
      const summaries = envelope.type === 'launches/changes';
      return (summaries ? released : Promise.resolve()).then(
        () =>
          new Promise((resolve) =>
            setTimeout(() => {
              if (summaries && marks.summariesAt === undefined) marks.summariesAt = performance.now();
              resolve(text === undefined ? undefined : JSON.parse(text));
            }, 0),
          ),
      );
    },
  };
  Object.assign(globalThis, { chrome: { runtime }, browser: { runtime } });
  new MutationObserver(() => {
    if (marks.summariesAt === undefined) return;
    if (marks.listAt === undefined && document.querySelector('[role="option"]'))
      marks.listAt = performance.now();
    if (marks.detailAt === undefined && marks.listAt !== undefined && document.querySelector('.sld-detail')) {
      marks.detailAt = performance.now();
      marks.rows = document.querySelectorAll('[role="option"]').length;
      // The frame after the commit: two animation frames guarantee layout and paint happened.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          marks.paintAt = performance.now();
          painted(marks);
        }),
      );
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Loads the page, waits until it shows its loading state and is idle, then lets the summaries through. */
export async function renderOnce(page: Page, url: string): Promise<Marks> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  try {
    await page.getByText('Loading launches').waitFor({ timeout: 30_000 });
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    return await page.evaluate(() =>
      Promise.race([
        (window as unknown as { benchRelease: () => Promise<Marks> }).benchRelease(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no render in 30 s')), 30_000)),
      ]),
    );
  } catch (error) {
    const unanswered = await page
      .evaluate(() => (window as unknown as { benchUnanswered: () => string[] }).benchUnanswered())
      .catch(() => []);
    const asked = unanswered.length ? ` (no stand-in answer for ${unanswered.join(', ')})` : '';
    throw new Error(`the log did not render${asked}: ${errors.join('; ') || error}`);
  }
}

/** The page script of the stand-in, answering with `launches` launches of `stepsPerLaunch` steps. */
export function standInScript(launches: number, stepsPerLaunch: number): string {
  const full = manyLaunches(launches, stepsPerLaunch);
  const summaries = full.map(summarizeLaunch).sort((a, b) => b.startedAt - a.startedAt);
  const newest = full.reduce((a, b) => (b.startedAt > a.startedAt ? b : a));
  const ok = (value: unknown) => JSON.stringify({ ok: true, value });
  const answers: Record<string, string> = {
    // The page's first read (components/log/logApi.ts): every summary, as the background answers a page
    // that holds none yet.
    'launches/changes': ok({ epoch: 'bench', version: 1, full: true, upserted: summaries, removed: [] }),
    [`launches/get ${newest.id}`]: ok(newest),
    'rules/get': ok({ ...DEFAULT_STRIP_SETTINGS, enabled: false }),
    'recorder/settings/get': ok(DEFAULT_SETTINGS),
    'recorder/health': ok({}),
  };

  // As source: tsx (esbuild keepNames) wraps functions in __name(), which the page does not have.
  const standIn = `(() => { const __name = (f) => f; (${installStandIn})(${JSON.stringify(answers)}); })();`;
  return standIn;
}

export async function benchLogRenderChromium(launches = 1000, stepsPerLaunch = 20): Promise<Row[]> {
  if (!existsSync(CHROMIUM)) {
    console.log(`log-render (chromium): skipped, ${CHROMIUM} not found`);
    return [];
  }
  if (!existsSync(join(EXTENSION_DIR, 'log.html'))) {
    console.log('log-render (chromium): skipped, run `npm run build` first');
    return [];
  }
  const standIn = standInScript(launches, stepsPerLaunch);
  const server = createServer((req, res) => {
    const path = normalize(join(EXTENSION_DIR, new URL(req.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(EXTENSION_DIR) || !existsSync(path)) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      .end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/log.html`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const runs: { render: number; list: number; paint: number; rows: number; heap: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh context each round: no code cache or warm JIT from an earlier load.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript({ content: standIn });
      const marks = await renderOnce(page, url);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      runs.push({
        render: marks.detailAt! - marks.summariesAt!,
        list: marks.listAt! - marks.summariesAt!,
        paint: marks.paintAt! - marks.summariesAt!,
        rows: marks.rows!,
        heap: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0,
      });
      await context.close();
    }
    const pick = (key: keyof (typeof runs)[number]) => median(runs.map((r) => r[key]));
    console.log(
      `log-render: ${launches} launches / ${launches * stepsPerLaunch} steps, built log page (headless Chromium), median of ${ROUNDS}`,
    );
    console.log(`  first render, each round: ${runs.map((r) => r.render.toFixed(1)).join(', ')} ms`);
    console.log(`  list rows in the DOM: ${pick('list').toFixed(1)} ms after the summaries arrived`);
    console.log(`  rows in DOM: ${pick('rows')} (virtualized)`);
    console.log(`  JS heap after render: ${(pick('heap') / 1048576).toFixed(1)} MB`);
    const render = pick('render');
    return [
      {
        figure: `first render, ${launches} launches (headless Chromium)`,
        value: ms(render),
        target: '< 150 ms',
        ok: render < 150,
      },
      { figure: 'first painted frame (headless Chromium)', value: ms(pick('paint')) },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
