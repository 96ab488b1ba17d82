import { benchAnalyze } from './analyze';
import { chromiumVersion } from './browser/chromium';
import { benchLogRender } from './log-render';
import { benchLogRenderChromium } from './log-render-chromium';
import { benchPageLoad } from './page-load';
import { benchSoak } from './soak';
import { printTable, type Row } from './table';

/**
 * `npm run bench [name…]`: runs every benchmark (or the named ones) in turn and prints each figure next
 * to its target. The browser benchmarks need a fresh `npm run build`. Not part of `npm test`: timings
 * depend on the machine; docs/benchmarks.md keeps the recorded runs.
 */
const benches: [string, string, () => Promise<Row[] | undefined>][] = [
  ['page-load', 'Page load and extension CPU, 200 watched requests', benchPageLoad],
  ['soak', '5,000 requests and 200 launches', benchSoak],
  ['log-render', 'Launch log first render (jsdom)', benchLogRender],
  ['log-render-chromium', 'Launch log first render (headless Chromium)', benchLogRenderChromium],
  // Last: it leaves large corpora and their analyses behind on the heap.
  ['analyze', 'Analysis of 20,000 exchanges', benchAnalyze],
];

const wanted = process.argv.slice(2);
console.log(`Chromium: ${chromiumVersion()}; Node ${process.version}; ${new Date().toISOString()}`);
for (const [name, title, bench] of benches) {
  if (wanted.length && !wanted.includes(name)) continue;
  const start = Date.now();
  try {
    const rows = await bench();
    if (rows) printTable(`${title} (${((Date.now() - start) / 1000).toFixed(0)} s)`, rows);
  } catch (error) {
    console.error(`${name} failed:`, error);
    process.exitCode = 1;
  }
}
