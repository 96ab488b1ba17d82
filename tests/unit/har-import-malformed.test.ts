import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeHarText } from '../../utils/cli/analyze-har';
import { formatReport } from '../../utils/cli/report';
import { HarImportError, readHar } from '../../utils/har/import';

/**
 * A HAR with some malformed entries (a field missing, of the wrong type, an entry that is null): those
 * are skipped and said, the rest is read; a file with no readable entry at all is refused. Tools that
 * write an empty list as null, or a status as text, are read as they mean it.
 */
const chrome = () =>
  JSON.parse(readFileSync(new URL('../fixtures/har/chrome-forceauthn-400.har', import.meta.url), 'utf8')) as {
    log: { entries: Record<string, unknown>[] };
  };

describe('HAR import: malformed entries', () => {
  it('skips them, says which, and reads the rest', () => {
    const har = chrome();
    const good = har.log.entries.length;
    har.log.entries.unshift({ startedDateTime: '2026-12-04T09:00:00.000Z', request: { method: 'GET' } });
    (har.log.entries as unknown[]).push(null);
    const read = readHar(JSON.stringify(har), 'f.har', 'imp');
    expect(read.skipped.count).toBe(2);
    expect(read.skipped.first[0]).toBe(
      'log.entries.0.request.url: Invalid input: expected string, received undefined',
    );
    expect(read.skipped.first[1]).toMatch(new RegExp(`^log\\.entries\\.${good + 1}: `));
    const summary = analyzeHarText(JSON.stringify(har), 'f.har');
    expect(summary.launches[0]!.status).toBe('failed');
    expect(summary.skippedEntries).toMatch(/^2 malformed entries skipped \(log\.entries\.0\.request\.url: /);
    expect(formatReport(summary).split('\n')[1]).toMatch(/^Note: 2 malformed entries skipped/);
    // A file without any is read as before, and says nothing of it.
    expect(analyzeHarText(JSON.stringify(chrome()), 'f.har').skippedEntries).toBeUndefined();
  });

  it('an entry whose URL is no absolute URL is skipped and counted too', () => {
    const har = chrome();
    const entry = structuredClone(har.log.entries[0]!) as { request: { url: string } };
    entry.request.url = 'not a url';
    (har.log.entries as unknown[]).push(entry);
    const read = readHar(JSON.stringify(har), 'f.har', 'imp');
    expect(read.skipped.count).toBe(1);
    expect(read.skipped.first[0]).toMatch(/request\.url: not an absolute URL$/);
  });

  it('a null list and a status written as text are read as meant', () => {
    const har = chrome();
    for (const e of har.log.entries) {
      const request = e.request as { headers: unknown };
      const response = e.response as { status: unknown };
      request.headers = null;
      response.status = String(response.status);
    }
    const read = readHar(JSON.stringify(har), 'f.har', 'imp');
    expect(read.skipped.count).toBe(0);
    expect(read.exchanges.some((x) => x.status === 400)).toBe(true);
  });

  it('no readable entry at all: the file is refused, with the first problems', () => {
    const har = { log: { version: '1.2', entries: [null, { request: {} }, 'x', 4] } };
    expect(() => readHar(JSON.stringify(har), 'broken.har', 'imp')).toThrow(HarImportError);
    expect(() => readHar(JSON.stringify(har), 'broken.har', 'imp')).toThrow(
      /^broken\.har is not a valid HAR 1\.2 file: none of its 4 entries is a request as HAR 1\.2 describes one \(log\.entries\.0: .*; …\)\.$/,
    );
  });
});
