import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze } from '../../utils/launch/analyze';
import { classify } from '../../utils/launch/classify';
import { correlate } from '../../utils/launch/correlate';
import type { Exchange } from '../../utils/model';
import { decodeUrl } from '../../utils/url';
import {
  CHALLENGE,
  CODE_FINGERPRINT,
  CONTEXT_ID,
  OTHER_CODE_FINGERPRINT,
  STATE,
} from '../fixtures/exchanges/oracle-flow';
import { fixtureNames, loadExchanges } from '../fixtures/load';
import { ms, type Row } from './table';

/**
 * CPU time of analyze() on a large capture: every exchange fixture repeated until the corpus has the
 * wanted size. Prints figures; asserts nothing (timings depend on the machine).
 */

/** `size` exchanges: every fixture launch repeated, each copy an hour after the previous one. */
export function analyzeCorpus(size: number): Exchange[] {
  const base = fixtureNames().map((n) => loadExchanges(n));
  const out: Exchange[] = [];
  for (let copy = 0; out.length < size; copy++) {
    const list = base[copy % base.length]!;
    const shift = copy * 3_600_000;
    for (const e of list) {
      out.push({
        ...e,
        id: `${copy}-${e.id}`,
        ...(e.requestId ? { requestId: `${copy}-${e.requestId}` } : {}),
        tabId: 100 + (copy % 7),
        startedAt: e.startedAt + shift,
        ...(e.completedAt ? { completedAt: e.completedAt + shift } : {}),
      });
    }
  }
  return out.slice(0, size);
}

/**
 * A capture as the recorder sees it during the soak: launches 300 ms apart in 7 tabs, running side by
 * side, each with its own state, launch context, code and verifier challenge (analyzeCorpus's copies
 * share them, an hour apart), in order of arrival.
 */
export function growingCorpus(size: number): Exchange[] {
  const shared = [STATE, CONTEXT_ID, CODE_FINGERPRINT, OTHER_CODE_FINGERPRINT, CHALLENGE];
  return analyzeCorpus(size)
    .map((e) => {
      const copy = e.id.slice(0, e.id.indexOf('-'));
      let text = JSON.stringify(e);
      for (const value of shared) text = text.split(value).join(`${value}${copy}`);
      const ex = JSON.parse(text) as Exchange;
      const offset = (e.startedAt - Number(copy) * 3_600_000) % 20_000;
      ex.startedAt = 1_800_000_000_000 + Number(copy) * 300 + offset;
      if (ex.completedAt !== undefined) ex.completedAt = ex.startedAt + 20;
      return ex;
    })
    .sort((a, b) => a.startedAt - b.startedAt);
}

/** Mean CPU ms of an analysis after each `batch` new exchanges, as the capture grows to all of `xs`. */
function growingCpuMs(xs: readonly Exchange[], batch: number): number {
  const live: Exchange[] = [];
  let cpu = 0;
  let runs = 0;
  for (let i = 0; i < xs.length; i += batch) {
    live.push(...xs.slice(i, i + batch));
    const start = process.cpuUsage();
    analyze(live, { now: 1_900_000_000_000 });
    const used = process.cpuUsage(start);
    cpu += (used.user + used.system) / 1000;
    runs++;
  }
  return cpu / runs;
}

/** A full collection, then a pause so that the collector's background threads are done too. */
async function settleHeap(): Promise<void> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Best CPU time (ms) of `runs` calls, each on a settled heap: CPU time is far less disturbed than wall
 * time on a shared machine, and no run pays for the garbage of the one before it.
 */
export async function bestCpuMs<T>(
  run: (input: T) => unknown,
  runs: number,
  prepare: () => T,
): Promise<number> {
  return (await bestTimes(run, runs, prepare)).cpu;
}

/**
 * bestCpuMs(), and the best wall time of the same calls: how long the calling thread waits. The CPU
 * figure also counts V8's helper threads (parallel scavenging, concurrent compiling), so it is the larger.
 */
export async function bestTimes<T>(
  run: (input: T) => unknown,
  runs: number,
  prepare: () => T,
): Promise<{ cpu: number; wall: number }> {
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const input = prepare();
    await settleHeap();
    const start = process.cpuUsage();
    const at = performance.now();
    run(input);
    wall = Math.min(wall, performance.now() - at);
    const used = process.cpuUsage(start);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { cpu, wall };
}

/**
 * New exchange objects with the same content, as after a service-worker restart or a HAR import:
 * nothing analysis remembers per exchange (classification, decoded URL, parsed bodies) applies.
 */
export function freshCopies(exchanges: readonly Exchange[]): Exchange[] {
  return exchanges.map((e) => ({
    ...e,
    responseHeaders: { ...e.responseHeaders },
    ...(e.body ? { body: { ...e.body } } : {}),
  }));
}

const RUNS = 7;

export async function benchAnalyze(): Promise<Row[]> {
  const big = analyzeCorpus(20_000);
  const small = analyzeCorpus(5_000);
  for (let i = 0; i < 5; i++) analyze(freshCopies(small)); // warm-up (JIT)
  const same =
    <T>(x: T) =>
    () =>
      x;

  // First analysis of exchange objects (after a service-worker restart, a HAR import): nothing
  // remembered yet. Measured first, before the same-exchange runs leave their memos on the heap.
  const cold = await bestTimes(analyze, RUNS, () => freshCopies(big));
  const coldBig = cold.cpu;
  const coldSmall = await bestCpuMs(analyze, RUNS, () => freshCopies(small));
  // The recorder re-analyzes the same live exchange objects on every launch-list request.
  analyze(big);
  analyze(small);
  const warmBig = await bestCpuMs(analyze, RUNS, same(big));
  const warmSmall = await bestCpuMs(analyze, RUNS, same(small));
  // A capture in progress: between two requests some exchanges got their answer (edited in place, with
  // a new revision, as the capture reducer does).
  let tick = 0;
  const touch = (xs: Exchange[]) => () => {
    tick++;
    for (let i = tick % 100; i < xs.length; i += 100) {
      const e = xs[i]!;
      e.completedAt = (e.completedAt ?? e.startedAt) + (tick % 2 ? 1 : -1);
      e.revision = (e.revision ?? 0) + 1;
    }
    return xs;
  };
  const liveBig = await bestCpuMs(analyze, RUNS, touch(big));
  const liveSmall = await bestCpuMs(analyze, RUNS, touch(small));
  // The soak's pattern: the capture grows, the log reads it again after every few events.
  const growing = growingCpuMs(growingCorpus(5_000), 12);
  const launches = analyze(big).length;
  console.log(`analyze: ${big.length} exchanges → ${launches} launches (best of ${RUNS}, CPU ms)`);
  console.log('                      20,000    5,000   ratio (linear ≈ 4)');
  const row = (name: string, a: number, b: number) =>
    console.log(
      `  ${name.padEnd(18)} ${a.toFixed(1).padStart(7)}  ${b.toFixed(1).padStart(7)}   ${(a / b).toFixed(2)}`,
    );
  row('new exchanges', coldBig, coldSmall);
  console.log(`    (wall time of those calls, best: ${cold.wall.toFixed(1)} ms at 20,000)`);
  row('same exchanges', warmBig, warmSmall);
  row('same, 1% edited', liveBig, liveSmall);

  // Phases on the 20k corpus. diagnose = analyze − correlate.
  const phase = (name: string, ms: number, note = '') =>
    console.log(`    ${name.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms${note}`);
  const decodeAll = (xs: Exchange[]) => {
    for (const e of xs) decodeUrl(e.url);
  };
  const classifyAll = (xs: Exchange[]) => {
    for (const e of xs) classify(e);
  };
  console.log('  phases, 20,000 exchanges:');
  phase('decode every URL', await bestCpuMs(decodeAll, RUNS, same(big)));
  phase(
    'classify, new exchanges',
    await bestCpuMs(classifyAll, RUNS, () => freshCopies(big)),
    ' (decodes what correlation reads)',
  );
  phase('classify, same exchanges', await bestCpuMs(classifyAll, RUNS, same(big)));
  const correlateBig = await bestCpuMs(correlate, RUNS, same(big));
  phase('correlate, same exchanges', correlateBig, ' (includes classify)');
  phase('diagnose, same exchanges', Math.max(0, warmBig - correlateBig), ' (analyze − correlate)');
  return [
    {
      figure: `first analysis, ${big.length} new exchanges (CPU, best of ${RUNS})`,
      value: ms(coldBig),
      target: '≤ 200 ms',
      ok: coldBig <= 200,
    },
    {
      figure: `first analysis, ${big.length} new exchanges (wall time of the same calls, best)`,
      value: ms(cold.wall),
    },
    { figure: `analysis again, same ${big.length} exchanges`, value: ms(warmBig) },
    {
      figure: 'analysis after each change, capture growing to 5,000 (mean, 12 exchanges a change)',
      value: ms(growing),
    },
  ];
}

if (process.argv[1]?.endsWith('bench/analyze.ts')) await benchAnalyze();
