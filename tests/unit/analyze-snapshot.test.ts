import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type AnalyzeOptions, analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { analyzeCorpus, freshCopies } from '../bench/analyze';
import { fixtureNames, loadExchanges } from '../fixtures/load';

/**
 * analyze() output, serialised, against tests/fixtures/analyze-snapshot.json.gz: every fixture and a
 * 5,000-exchange slice of the benchmark corpus; the fixtures also live (a `now` and the recorder's
 * options). Each is analyzed first on new exchange objects and then again on the same ones (the per-exchange memos).
 * Guards changes meant to leave the results alone (performance work). To record the file again after
 * an intended change of results: UPDATE_ANALYZE_SNAPSHOT=1 npx vitest run --project unit analyze-snapshot
 */
const file = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/analyze-snapshot.json.gz');
const update = process.env.UPDATE_ANALYZE_SNAPSHOT === '1';

/** The recorder's options, some origins watched. */
const LIVE = {
  abandonAfterMs: 3_000,
  watchedOrigins: ['https://launch.smarthealthit.org/*', 'https://*.example.org/*'],
};

function cases(): [string, () => Exchange[], AnalyzeOptions][] {
  const out: [string, () => Exchange[], AnalyzeOptions][] = [];
  for (const name of fixtureNames()) {
    out.push([name, () => loadExchanges(name), {}]);
    out.push([`${name} (live)`, () => loadExchanges(name), liveFor(loadExchanges(name))]);
  }
  const corpus = analyzeCorpus(5_000);
  out.push(['corpus 5000', () => freshCopies(corpus), {}]);
  return out;
}

/** `now` a few seconds after the capture's last exchange: launches not settled yet, idle ones abandoned. */
function liveFor(exchanges: Exchange[]): AnalyzeOptions {
  const last = Math.max(...exchanges.map((e) => e.completedAt ?? e.startedAt));
  return { ...LIVE, now: last + 5_000 };
}

function serialise(exchanges: Exchange[], opts: AnalyzeOptions): string[] {
  return analyze(exchanges, opts).map((l) => JSON.stringify(l));
}

describe('analyze output snapshot', () => {
  const all = cases();
  if (update) {
    it('records the snapshot', { timeout: 120_000 }, () => {
      const snap: Record<string, string[]> = {};
      for (const [name, input, opts] of all) snap[name] = serialise(input(), opts);
      writeFileSync(file, gzipSync(JSON.stringify(snap, null, 1)));
    });
    return;
  }
  const snap = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Record<string, string[]>;
  it('covers every case', () => {
    expect(Object.keys(snap).sort()).toEqual(all.map(([n]) => n).sort());
  });
  for (const [name, input, opts] of all) {
    it(`${name}: same launches, findings and order, new exchanges then the same again`, () => {
      const expected = snap[name]!;
      const exchanges = input();
      for (const round of ['new', 'same']) {
        const actual = serialise(exchanges, opts);
        expect(actual.length, `${round}: launch count`).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          // A readable diff first, then the exact text (key order included).
          if (actual[i] !== expected[i])
            expect(JSON.parse(actual[i]!), `${round} #${i}`).toEqual(JSON.parse(expected[i]!));
          expect(actual[i], `${round} #${i}`).toBe(expected[i]);
        }
      }
    });
  }
});
