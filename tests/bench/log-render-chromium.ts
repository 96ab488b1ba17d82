import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { ms, type Row } from './table';

/**
 * The same render in headless Chromium (real layout and paint): time to first render, time to the first
 * painted frame, and JS heap growth read through CDP. Skipped with a note when Chromium is missing.
 */

const CHROMIUM = '/usr/bin/chromium';
const pageDir = fileURLToPath(new URL('./page/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export async function benchLogRenderChromium(launches = 1000, stepsPerLaunch = 20): Promise<Row[]> {
  if (!existsSync(CHROMIUM)) {
    console.log(`log-render (chromium): skipped, ${CHROMIUM} not found`);
    return [];
  }
  const outDir = mkdtempSync(join(tmpdir(), 'sld-bench-'));
  await build({ root: pageDir, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const server = createServer((req, res) => {
    const path = normalize(join(outDir, new URL(req.url ?? '/', 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(outDir) || !existsSync(file)) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => typeof window.runBench === 'function');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };
    const before = await heap();
    const result = await page.evaluate(([n, s]) => window.runBench(n, s), [
      launches,
      stepsPerLaunch,
    ] as const);
    const after = await heap();
    console.log(`log-render: ${launches} launches / ${launches * stepsPerLaunch} steps (headless Chromium)`);
    console.log(`  time to first painted frame: ${result.paintMs.toFixed(1)} ms`);
    console.log(`  rows in DOM: ${result.rows} (virtualized)`);
    console.log(
      `  JS heap: ${(after / 1048576).toFixed(1)} MB after render (+${((after - before) / 1048576).toFixed(1)} MB for data and DOM)`,
    );
    return [
      {
        figure: `first render, ${launches} launches (headless Chromium)`,
        value: ms(result.renderMs),
        target: '< 150 ms',
        ok: result.renderMs < 150,
      },
      { figure: 'first painted frame (headless Chromium)', value: ms(result.paintMs) },
    ];
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
