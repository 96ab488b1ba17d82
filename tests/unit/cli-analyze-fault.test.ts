/**
 * `smart-launch-debugger analyze` when the analysis itself throws (a fault of the tool, not of the
 * file): one line on stderr and exit 2, never a stack trace and never exit 1, which a CI job reads as
 * a failed launch. The error's own message may quote what it choked on: it is redacted and bounded.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { runAnalyze } from '../../sandbox/start/analyze-command';

const thrown = vi.hoisted(() => ({ error: new RangeError('Maximum call stack size exceeded') as unknown }));

vi.mock('../../utils/cli/analyze-har', () => ({
  analyzeHarText: () => {
    throw thrown.error;
  },
}));

const fixture = fileURLToPath(new URL('../fixtures/har/chrome-success.har', import.meta.url));

function run(error: unknown) {
  thrown.error = error;
  const out: string[] = [];
  const err: string[] = [];
  const code = runAnalyze([fixture], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('analyze command, when the analysis fails', () => {
  it('says so in one line and exits 2', () => {
    const { code, out, err } = run(new RangeError('Maximum call stack size exceeded'));
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(
      'chrome-success.har could not be analyzed: Maximum call stack size exceeded (an internal error of smart-launch-debugger; please report it with the file, redacted).',
    );
  });

  it('a message quoting a URL or a token it choked on: the secrets masked, one line, bounded', () => {
    const code = 'SplxlOBeZQQYbYS6WxSbIA4f9c2';
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXRoYXQtbXVzdC1zdGF5LWhpZGRlbg';
    const { code: exit, err } = run(
      new TypeError(
        `Cannot read https://app.example/cb?code=${code}&state=abc\nwhile reading Bearer ${token} ${'x'.repeat(2000)}`,
      ),
    );
    expect(exit).toBe(2);
    expect(err).toHaveLength(1);
    const line = err[0]!;
    expect(line).not.toContain('\n');
    expect(line).not.toContain(code.slice(4, 16));
    expect(line).not.toContain('c2lnbmF0dXJl');
    expect(line).toMatch(
      /^chrome-success\.har could not be analyzed: Cannot read https:\/\/app\.example\/cb\?code=/,
    );
    expect(line.length).toBeLessThan(500);
  });

  it('a thrown value that is no Error is said as text', () => {
    const { err } = run('plain text');
    expect(err[0]).toMatch(/could not be analyzed: plain text \(an internal error/);
  });
});
