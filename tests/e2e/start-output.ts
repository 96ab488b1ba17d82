/** What the start e2e tests read from a running `start` command: its output, its exit, and when it is up. */
import type { ChildProcess } from 'node:child_process';

export interface StartOutput {
  stdout(): string;
  stderr(): string;
  /** The exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** Resolves once `start` printed its "Ctrl-C stops" line, exited, or 90 s passed. */
  ready(): Promise<void>;
}

export function startOutput(child: ChildProcess): StartOutput {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async ready() {
      const deadline = Date.now() + 90_000;
      while (!stdout.includes('Ctrl-C stops') && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
    },
  };
}
