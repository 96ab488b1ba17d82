import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LAUNCHES_CHANGED } from '../../utils/messages/launches';
import {
  BASELINE_DIR,
  type BenchBrowser,
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

/** Makes the log page note the time of each `launches/changed` notice (the page reads on each). */
async function noteNotices(control: Page): Promise<void> {
  await control.evaluate((changed) => {
    const w = globalThis as unknown as { notices?: number[]; chrome: ChromeRuntime };
    if (w.notices) return;
    w.notices = [];
    w.chrome.runtime.onMessage.addListener((message) => {
      if (message?.type === changed) w.notices!.push(Date.now());
    });
  }, LAUNCHES_CHANGED);
}

type ChromeRuntime = {
  runtime: { onMessage: { addListener(cb: (message: { type?: string }) => void): void } };
};

/**
 * How long after `since` (when the last launch's page had its last FHIR read) that read is visible in
 * the log page: the page reads when the worker tells it something changed (`launches/changed`). Polls as
 * the page would read (the summary list plus the search its search box sends for the read's URL) until
 * the read is in the log, then waits for the first notice sent since then (or just before: the notice
 * may have gone out while the poll's read was on its way); visible = that notice plus one read. -1 when
 * the read is not in the log after 30 s or no notice follows within 2 s.
 */
async function visibleAfter(control: Page, id: string, since: number): Promise<number> {
  const last = `${FHIR_BASE}/Observation/${id}-${FHIR_READS_PER_LAUNCH - 1}`;
  let inLog = -1;
  let readMs = 0;
  while (Date.now() - since < 30_000) {
    const asked = Date.now();
    const [list, found] = await Promise.all([
      call<{ id: string }[]>(control, LIST()),
      call<string[]>(control, SEARCH(), { query: last }),
    ]);
    if (found.value.some((hit) => list.value.some((l) => l.id === hit))) {
      inLog = asked;
      readMs = Math.max(list.ms, found.ms);
      break;
    }
    await sleep(10);
  }
  if (inLog < 0) return -1;
  const noticed = async () =>
    (await control.evaluate(() => (globalThis as unknown as { notices: number[] }).notices)).find(
      (t) => t >= inLog - 10,
    );
  const waitFrom = Date.now();
  let notice = await noticed();
  while (notice === undefined && Date.now() - waitFrom < 2000) {
    await sleep(10);
    notice = await noticed();
  }
  return notice === undefined ? -1 : Math.max(inLog, notice) + readMs - since;
}

interface Subject {
  name: string;
  browser: BenchBrowser;
  /** The log page (none for the floor, which has no log). */
  control?: Page;
  ms: number[];
  /** Extension-process CPU per request, from the first request until the last event was visible. */
  cpu: number[];
  delays: number[];
  recorded: number[];
}

/** One round of traffic in an extension's browser: its time, the last event's delay, the share recorded. */
async function soakRound(s: Subject, run: string): Promise<void> {
  if (s.control) await call(s.control, CLEAR());
  await sleep(500);
  const cpu = s.browser.extensionCpu();
  const t = await traffic(s.browser, run);
  s.ms.push(t.ms);
  // The floor has no log to ask: its CPU is taken right after the traffic.
  if (s.control) s.delays.push(await visibleAfter(s.control, t.last, t.lastAt));
  s.cpu.push(((s.browser.extensionCpu() - cpu) * 1000) / (LAUNCHES * REQUESTS_PER_LAUNCH));
  if (!s.control) return;
  await sleep(1000);
  const urls = await recordedUrls(s.control);
  const mine = [...urls].filter((u) => u.includes(`${run}x`)).length;
  // Unique URLs per launch: launch page, authorize, callback and the FHIR reads (discovery and token
  // URLs are the same for every launch, so they are counted by step in the list instead).
  s.recorded.push(mine / (LAUNCHES * (REQUESTS_PER_LAUNCH - 2)));
}

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
    subjects.push({ name: 'floor', browser: floor, ms: [], cpu: [], delays: [], recorded: [] });
    for (const [name, dir] of [
      ['ours', EXTENSION_DIR],
      ...(BASELINE_DIR ? [['baseline', BASELINE_DIR]] : []),
    ] as [string, string][]) {
      const browser = await launchBenchBrowser(name, dir, server.chromiumArgs);
      browsers.push(browser);
      subjects.push({
        name,
        browser,
        control: await extensionPage(browser, 'log.html').then(async (page) => {
          await noteNotices(page);
          return page;
        }),
        ms: [],
        cpu: [],
        delays: [],
        recorded: [],
      });
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
    );
    for (const s of subjects) {
      if (!s.control) continue;
      const lists = [];
      for (let i = 0; i < 5; i++) lists.push(await call<unknown[]>(s.control, LIST()));
      const listMs = median(lists.map((l) => l.ms));
      const listKb = lists[0]!.bytes / 1024;
      const trafficOurs = median(s.ms);
      const delay = median(s.delays);
      const pct = median(s.recorded) * 100;
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
