import { benchAnalyze } from './analyze';
import { benchLogRender } from './log-render';
import { benchLogRenderChromium } from './log-render-chromium';

/** `npm run bench`: runs every benchmark in turn and prints its figures. */
const benches: [string, () => Promise<void>][] = [
  ['log-render', benchLogRender],
  ['log-render-chromium', benchLogRenderChromium],
  // Last: it leaves large corpora and their analyses behind on the heap.
  ['analyze', benchAnalyze],
];

for (const [name, bench] of benches) {
  try {
    await bench();
  } catch (error) {
    console.error(`${name} failed:`, error);
    process.exitCode = 1;
  }
}
