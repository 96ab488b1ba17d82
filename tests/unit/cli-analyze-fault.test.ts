/**
 * `smart-launch-debugger analyze` when the analysis itself throws (a fault of the tool, not of the
 * file): one line on stderr and exit 2, never a stack trace and never exit 1, which a CI job reads as
 * a failed launch.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { runAnalyze } from '../../sandbox/start/analyze-command';

vi.mock('../../utils/cli/analyze-har', () => ({
  analyzeHarText: () => {
    throw new RangeError('Maximum call stack size exceeded');
  },
}));

const fixture = fileURLToPath(new URL('../fixtures/har/chrome-success.har', import.meta.url));

describe('analyze command, when the analysis fails', () => {
  it('says so in one line and exits 2', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runAnalyze([fixture], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(
      'chrome-success.har could not be analyzed: Maximum call stack size exceeded (an internal error of smart-launch-debugger; please report it with the file, redacted).',
    );
  });
});
