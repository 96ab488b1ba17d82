import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LAUNCHES_CHANGED } from '../../utils/messages/launches';
import {
  BASELINE_DIR,
  type BenchBrowser,
  type CpuSplit,
  EXTENSION_DIR,
  extensionPage,
  launchBenchBrowser,
  median,
} from './browser/chromium';
import { CLEAR, call, LIST, recordedUrls, SEARCH } from './browser/messages';
import { NEW_LISTENERS, writeNoopExtension } from './browser/noop';
import {
  FHIR_BASE,
  FHIR_READS_PER_LAUNCH,
  PAGE_HOST,
  REQUESTS_PER_LAUNCH,
  startBenchServer,
} from './browser/server';
import { cpuMs, ms, type Row, ratio } from './table';

/**
 * 200 SMART launches of 25 requests each (5,000 requests) from 4 tabs at once, without the extension
 * and with ours (interleaved when BENCH_SOAK_ROUNDS > 1): how long the traffic takes, how much of it
 * the log holds afterwards, how long after the last request its event is visible in the log, and the
 * size and time of the launch list at 200 launches. The log page is open throughout, as while a
 * developer watches launches come in: it re-reads the list on every change the worker pushes, and the
 * benchmark asks its questions from it. The floor is a do-nothing extension with the same webRequest
 * listeners that writes each event to storage.session (tests/bench/browser/noop.ts): what any recorder
 * that loses nothing costs, so the part of the ratio that is ours can be told apart.
 */

const LAUNCHES = Number(process.env.BENCH_SOAK_LAUNCHES ?? 200);
const TABS = 4;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

const launchUrl = (id: string) =>
  `https://${PAGE_HOST}/app/launch?iss=${encodeURIComponent(FHIR_BASE)}&launch=${id}`;

/** Runs every launch; resolves with the traffic time and the id of the launch that finished last. */
async function traffic(b: BenchBrowser, run: string): Promise<{ ms: number; last: string; lastAt: number }> {
  const pages: Page[] = await Promise.all(Array.from({ length: TABS }, () => b.context.newPage()));
  let next = 0;
  let last = '';
  let lastAt = 0;
  const start = Date.now();
  await Promise.all(
    pages.map(async (page) => {
      for (let i = next++; i < LAUNCHES; i = next++) {
        const id = `${run}x${i}`;
        await page.goto(launchUrl(id));
        await page.waitForFunction(() => document.title === 'done', null, { timeout: 60_000, polling: 20 });
        last = id;
        lastAt = Date.now();
        if (i % 20 === 19)
          process.stderr.write(`  soak ${b.name}: ${i + 1} launches, ${Date.now() - start} ms\n`);
      }
    }),
  );
  const took = Date.now() - start;
  await Promise.all(pages.map((p) => p.close()));
  return { ms: took, last, lastAt };
}

/** What the log page itself read after a notice: when, and which launches it got with which end. */
interface PageRead {
  start: number;
  /** The answer arrived. */
  answered: number;
  /** The page changed its DOM for it (the first DOM change after the answer, within a second), else `answered`. */
  shown: number;
  upserted: [string, number | null][];
}

/**
 * Makes the log page note the time of each `launches/changed` notice and of each of its own list reads
 * (`launches/changes`, which it sends on a notice): when it asked, when the answer came, and which launches
 * it held, with their end time; and the time of each change to its DOM (shownAt() pairs them up). Animation
 * frames tell nothing here: a headless page behind the traffic's tabs gets one every second or two.
 */
async function notePage(control: Page): Promise<void> {
  await control.evaluate((changed) => {
    const w = globalThis as unknown as {
      notices?: number[];
      reads?: Omit<PageRead, 'shown'>[];
      mutations?: number[];
      chrome: ChromeRuntime;
    };
    if (w.notices) return;
    w.notices = [];
    w.reads = [];
    w.mutations = [];
    new MutationObserver(() => w.mutations!.push(Date.now())).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    w.chrome.runtime.onMessage.addListener((message) => {
      if (message?.type !== changed) return;
      const at = Date.now();
      w.notices!.push(at);
      // Changes the notice carries are the page's read, answered as it arrives (the page applies them
      // without a read of its own when they fit the version it holds, else it reads).
      const upserted = (message as { changes?: { upserted?: { id: string; endedAt?: number }[] } }).changes
        ?.upserted;
      if (upserted) {
        w.reads!.push({ start: at, answered: at, upserted: upserted.map((l) => [l.id, l.endedAt ?? null]) });
      }
    });
    const runtime = w.chrome.runtime;
    const send = runtime.sendMessage.bind(runtime);
    runtime.sendMessage = (message: { type?: string }) => {
      const start = Date.now();
      const answer = send(message);
      if (message?.type === 'launches/changes') {
        void answer.then((reply) => {
          const answered = Date.now();
          const upserted = (reply as { value?: { upserted?: { id: string; endedAt?: number }[] } }).value
            ?.upserted;
          w.reads!.push({
            start,
            answered,
            upserted: (upserted ?? []).map((l) => [l.id, l.endedAt ?? null]),
          });
        });
      }
      return answer;
    };
  }, LAUNCHES_CHANGED);
}

type ChromeRuntime = {
  runtime: {
    onMessage: { addListener(cb: (message: { type?: string }) => void): void };
    sendMessage(message: unknown): Promise<unknown>;
  };
};

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const spread = (values: readonly number[]) =>
  values.length === 0
    ? '–'
    : `${[0.5, 0.95, 1].map((p) => percentile(values, p).toFixed(0)).join(', ')} ms (${values.length})`;

/** The page is left alone this long after the last request before the benchmark asks anything. */
const SETTLE_MS = 2000;

/**
 * How long after the last launch's last request ended (its end time in the log; `since`, when the
 * benchmark saw that launch's page done, is later) the log page showed that launch as it ended: the first
 * of the page's own reads (it reads when the worker tells it something changed) whose answer held the
 * launch with its final end time, until its DOM changed. The benchmark asks nothing while the page catches
 * up; afterwards it finds the launch (the summary list and the search for its last read's URL, as the log's
 * search box sends it) and looks back through the page's reads. Adds every launch's delay to `every`
 * (shownAfterEnd). -1 when the read is not in the log after 30 s, or the page never read the launch's end.
 */
async function visibleAfter(control: Page, id: string, since: number, every: EndShown[]): Promise<Visible> {
  const last = `${FHIR_BASE}/Observation/${id}-${FHIR_READS_PER_LAUNCH - 1}`;
  await sleep(Math.max(0, since + SETTLE_MS - Date.now()));
  const never = { total: -1, notice: -1, read: -1, render: -1 };
  let launch: Ended | undefined;
  let list: Ended[] = [];
  while (!launch && Date.now() - since < 30_000) {
    const [summaries, found] = await Promise.all([
      call<Ended[]>(control, LIST()),
      call<string[]>(control, SEARCH(), { query: last }),
    ]);
    list = summaries.value;
    launch = list.find((l) => found.value.includes(l.id));
    if (!launch) await sleep(100);
  }
  if (!launch) return never;
  const ended = launch.endedAt ?? null;
  for (;;) {
    const page = await control.evaluate(() => {
      const w = globalThis as unknown as {
        notices: number[];
        reads: Omit<PageRead, 'shown'>[];
        mutations: number[];
      };
      return { notices: w.notices, reads: w.reads, mutations: w.mutations };
    });
    const reads = shownAt(page.reads, page.mutations);
    const read = reads.find((r) => r.upserted.some(([i, e]) => i === launch.id && e === ended));
    if (read) {
      every.push(...shownAfterEnd(list, reads));
      const told = page.notices.filter((t) => t <= read.start).at(-1) ?? read.start;
      // From the end of the launch's last request (webRequest's time stamp of it, the same clock), which
      // comes before the benchmark sees the page done.
      const at = ended ?? since;
      return {
        total: read.shown - at,
        notice: told - at,
        read: read.answered - told,
        render: read.shown - read.answered,
      };
    }
    if (Date.now() - since > 30_000) return never;
    await sleep(100);
  }
}

/** Each read with the time the page's DOM first changed after its answer (within a second), else its answer's. */
function shownAt(reads: readonly Omit<PageRead, 'shown'>[], mutations: readonly number[]): PageRead[] {
  let m = 0;
  return reads.map((r) => {
    while (m < mutations.length && mutations[m]! < r.answered) m++;
    const next = mutations[m];
    return { ...r, shown: next !== undefined && next - r.answered <= 1000 ? next : r.answered };
  });
}

interface Ended {
  id: string;
  endedAt?: number;
}

/**
 * For every launch of the log that ended: how long after its last request the page showed it as it ended
 * (the first of the page's reads holding it with its final end time, until the page's DOM changed).
 */
function shownAfterEnd(list: readonly Ended[], reads: readonly PageRead[]): EndShown[] {
  const first = new Map<string, PageRead>();
  for (const r of reads)
    for (const [id, ended] of r.upserted) {
      const key = `${id} ${ended}`;
      if (!first.has(key)) first.set(key, r);
    }
  const out: EndShown[] = [];
  for (const l of list) {
    const read = l.endedAt === undefined ? undefined : first.get(`${l.id} ${l.endedAt}`);
    if (read) out.push({ shown: read.shown - l.endedAt!, had: read.answered - l.endedAt! });
  }
  return out;
}

/** One launch's end: when the page showed it, and when it had it (a read's answer, a notice's changes). */
interface EndShown {
  shown: number;
  had: number;
}

/** The last event's delay, and its parts: when the page was told, its read, its render (to its DOM change). */
interface Visible {
  total: number;
  notice: number;
  read: number;
  render: number;
}

interface Subject {
  name: string;
  browser: BenchBrowser;
  /** The log page (none for the floor, which has no log). */
  control?: Page;
  ms: number[];
  /** Extension-process CPU per request, from the first request until the last event was visible. */
  cpu: number[];
  /** The same by thread, per round. */
  split: CpuSplit[];
  delays: Visible[];
  /** Every launch's end: how long until the page had it and showed it (shownAfterEnd). */
  everyEnd: EndShown[];
  recorded: number[];
}

/** A subject with nothing measured yet. */
function subject(name: string, browser: BenchBrowser, control?: Page): Subject {
  return { name, browser, control, ms: [], cpu: [], split: [], delays: [], everyEnd: [], recorded: [] };
}

/** CPU ms per request of each thread between two readings. */
function perRequest(before: CpuSplit, after: CpuSplit): CpuSplit {
  const out = { ...after };
  for (const k of Object.keys(out) as (keyof CpuSplit)[]) {
    out[k] = ((after[k] - before[k]) * 1000) / (LAUNCHES * REQUESTS_PER_LAUNCH);
  }
  return out;
}

/** The median of each thread's figure over the rounds: worker / pages / IPC / other. */
function splitText(splits: CpuSplit[]): string {
  const m = (k: keyof CpuSplit) => median(splits.map((x) => x[k])).toFixed(3);
  return `${m('worker')} / ${m('pages')} / ${m('ipc')} / ${m('other')} ms`;
}

/** One round of traffic in an extension's browser: its time, the last event's delay, the share recorded. */
async function soakRound(s: Subject, run: string): Promise<void> {
  if (s.control) await call(s.control, CLEAR());
  await sleep(500);
  const cpu = s.browser.extensionCpu();
  const split = s.browser.extensionCpuSplit();
  const t = await traffic(s.browser, run);
  s.ms.push(t.ms);
  // The floor has no log to ask: its CPU is taken right after the traffic.
  if (s.control) s.delays.push(await visibleAfter(s.control, t.last, t.lastAt, s.everyEnd));
  s.cpu.push(((s.browser.extensionCpu() - cpu) * 1000) / (LAUNCHES * REQUESTS_PER_LAUNCH));
  s.split.push(perRequest(split, s.browser.extensionCpuSplit()));
  if (!s.control) return;
  await sleep(1000);
  const urls = await recordedUrls(s.control);
  const mine = [...urls].filter((u) => u.includes(`${run}x`)).length;
  // Unique URLs per launch: launch page, authorize, callback and the FHIR reads (discovery and token
  // URLs are the same for every launch, so they are counted by step in the list instead).
  s.recorded.push(mine / (LAUNCHES * (REQUESTS_PER_LAUNCH - 2)));
}

const SPLIT_LABEL = 'of which: worker / pages (log page) / IPC / other threads';

export async function benchSoak(rounds = Number(process.env.BENCH_SOAK_ROUNDS ?? 1)): Promise<Row[]> {
  const server = await startBenchServer();
  const browsers: BenchBrowser[] = [];
  try {
    const none = await launchBenchBrowser('none', undefined, server.chromiumArgs);
    browsers.push(none);
    const subjects: Subject[] = [];
    const floorDir = writeNoopExtension(
      join(mkdtempSync(join(tmpdir(), 'sld-bench-soak-')), 'durable'),
      'no-op, new listeners, one write per event',
      NEW_LISTENERS,
      true,
    );
    const floor = await launchBenchBrowser('floor', floorDir, server.chromiumArgs);
    browsers.push(floor);
    subjects.push(subject('floor', floor));
    for (const [name, dir] of [
      ['ours', EXTENSION_DIR],
      ...(BASELINE_DIR ? [['baseline', BASELINE_DIR]] : []),
    ] as [string, string][]) {
      const browser = await launchBenchBrowser(name, dir, server.chromiumArgs);
      browsers.push(browser);
      const control = await extensionPage(browser, 'log.html');
      await notePage(control);
      subjects.push(subject(name, browser, control));
    }
    const noneMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      noneMs.push((await traffic(none, `n${r}`)).ms);
      // With a baseline, the order alternates between rounds.
      const order = r % 2 ? [...subjects].reverse() : subjects;
      for (const s of order) await soakRound(s, `${s.name[0]}${r}`);
    }
    const traffic0 = median(noneMs);
    const rows: Row[] = [
      {
        figure: `traffic time, ${LAUNCHES} launches / ${LAUNCHES * REQUESTS_PER_LAUNCH} requests, no extension`,
        value: ms(traffic0),
      },
    ];
    const floorMs = median(subjects[0]!.ms);
    rows.push(
      {
        figure: 'traffic time with the floor (no-op writing each event) / no extension',
        value: ratio(floorMs / traffic0),
      },
      {
        figure: 'extension CPU per request during the traffic (floor)',
        value: cpuMs(median(subjects[0]!.cpu)),
      },
      { figure: `  ${SPLIT_LABEL} (floor)`, value: splitText(subjects[0]!.split) },
    );
    for (const s of subjects) {
      if (!s.control) continue;
      const lists = [];
      for (let i = 0; i < 5; i++) lists.push(await call<unknown[]>(s.control, LIST()));
      const listMs = median(lists.map((l) => l.ms));
      const listKb = lists[0]!.bytes / 1024;
      const trafficOurs = median(s.ms);
      const delay = median(s.delays.map((d) => d.total));
      const noticeMs = median(s.delays.map((d) => d.notice));
      const readMs = median(s.delays.map((d) => d.read));
      const renderMs = median(s.delays.map((d) => d.render));
      const pct = median(s.recorded) * 100;
      const shown = s.everyEnd.map((e) => e.shown);
      const who = s.name === 'ours' ? '' : ` (${s.name})`;
      rows.push(
        {
          figure: `traffic time with ${s.name} / no extension`,
          value: ratio(trafficOurs / traffic0),
          target: '≤ 1.10×',
          ok: trafficOurs / traffic0 <= 1.1,
        },
        { figure: `traffic time with ${s.name} / the floor`, value: ratio(trafficOurs / floorMs) },
        { figure: `extension CPU per request during the traffic${who}`, value: cpuMs(median(s.cpu)) },
        { figure: `  ${SPLIT_LABEL}${who}`, value: splitText(s.split) },
        {
          figure: `requests recorded (unique URLs in the log)${who}`,
          value: `${pct.toFixed(1)} %`,
          target: '100 %',
          ok: pct >= 99.95,
        },
        {
          figure: `last event visible in the log after the last request${who}`,
          value: delay < 0 ? 'never (30 s)' : ms(delay),
          target: '≤ 300 ms',
          ok: delay >= 0 && delay <= 300,
        },
        {
          figure: `  of which: page told, its read, its render${who}`,
          value: delay < 0 ? '–' : `${ms(noticeMs)}, ${ms(readMs)}, ${ms(renderMs)}`,
        },
        {
          figure: `every launch's end visible: median, 95th pct, most (launches)${who}`,
          value: spread(shown),
          target: '≤ 300 ms',
          ok: shown.length > 0 && percentile(shown, 0.95) <= 300,
        },
        {
          figure: `  of which in the page's hands (told with the changes, or its read answered)${who}`,
          value: spread(s.everyEnd.map((e) => e.had)),
        },
        {
          figure: `launch list payload at ${lists[0]!.value.length} launches${who}`,
          value: `${listKb.toFixed(1)} KB`,
          target: '≤ 100 KB',
          ok: listKb <= 100,
        },
        {
          figure: `launch list time (median of 5)${who}`,
          value: ms(listMs),
          target: '≤ 50 ms',
          ok: listMs <= 50,
        },
      );
    }
    return rows;
  } finally {
    for (const b of browsers) await b.close();
    await server.close();
  }
}
