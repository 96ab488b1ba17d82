/** The guided demo's stage runner (a failure names its stage) and its terminal report. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDemoReport, screenshotsLine } from '../../sandbox/start/demo-command';
import { createStages, StageError } from '../../sandbox/start/demo-stages';
import { analyzeHarText } from '../../utils/cli/analyze-har';

const har = (name: string) => readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');

describe('demo stages', () => {
  it('logs numbered stages, times the ones that pass, and names the one that fails', async () => {
    const lines: string[] = [];
    const stages = createStages((l) => lines.push(l));
    expect(await stages.run('first', async () => 42)).toBe(42);
    const failure = await stages
      .run('second', async () => {
        throw new Error('no Bad Request page\nmore detail');
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StageError);
    expect((failure as StageError).stage).toBe('second');
    expect((failure as StageError).message).toBe('stage "second": no Bad Request page');
    expect(lines).toEqual(['[1] first …', '[2] second …']);
    expect(stages.timings.map((t) => t.stage)).toEqual(['first']);
  });
});

describe('demo report', () => {
  const failed = analyzeHarText(har('sandbox-forceauthn-400.har'), 'a.har').launches[0]!;
  const succeeded = analyzeHarText(har('chrome-success.har'), 'b.har').launches[0]!;
  const base = {
    launches: [failed, succeeded],
    fix: 'rule-on' as const,
    companionWatched: true,
    timings: [{ stage: 'launch again: reproduce the forceAuthn 400', ms: 2900 }],
    screenshots: ['/tmp/x/1-code-console.png'],
  };

  it('lists each launch, what was fixed, timings and screenshots', () => {
    const text = formatDemoReport(base);
    expect(text).toMatch(/Launch 1 of 2: FAILED at step 6 session-api/);
    expect(text).toContain('Launch 2 of 2: SUCCEEDED');
    expect(text).toContain(
      '"Strip forceAuthn" switched on in the popup, then the companion was launched again.',
    );
    expect(text).toContain('Last launch: succeeded; 0 requests rewritten by the extension.');
    expect(text).toContain('     2.9 s  launch again: reproduce the forceAuthn 400');
    expect(text).toContain('  /tmp/x/1-code-console.png');
    expect(text).not.toContain('DevTools protocol');
  });

  it('says when the one-click relaunch was used and when the token exchange could not be seen', () => {
    const text = formatDemoReport({ ...base, fix: 'relaunched', companionWatched: false });
    expect(text).toContain('"Strip forceAuthn and relaunch" in the popup');
    expect(text).toContain('loaded over the DevTools protocol');
  });
});

describe('a failed demo says where its screenshots are', () => {
  it('only as far as it took any, and failure.png only when it was saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sld-demo-'));
    try {
      expect(screenshotsLine(join(dir, 'missing'))).toBe(
        'No screenshots were taken: the demo stopped before a page was shown.',
      );
      expect(screenshotsLine(dir)).toMatch(/^No screenshots were taken/);
      writeFileSync(join(dir, '1-console.png'), '');
      expect(screenshotsLine(dir)).toBe(`Screenshots so far are in ${dir}.`);
      writeFileSync(join(dir, 'failure.png'), '');
      expect(screenshotsLine(dir)).toBe(
        `Screenshots so far are in ${dir}, and failure.png shows the page at the failure.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
