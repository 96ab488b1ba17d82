/**
 * `npm start` as a process (bin/smart-launch-debugger.mjs start --headless): builds are present (the e2e
 * run builds first), a taken port moves it to the next one, the browser loads the extension and reaches
 * the sandbox's Code Console through the host mapping and the certificate pin, and Ctrl-C stops the
 * browser and the sandbox.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startOutput } from './start-output';

const BIN = fileURLToPath(new URL('../../bin/smart-launch-debugger.mjs', import.meta.url));
const profile = mkdtempSync(join(tmpdir(), 'sld-start-'));
let blocker: Server | undefined;
let child: ChildProcess | undefined;

afterAll(() => {
  blocker?.close();
  if (child?.exitCode === null) child.kill('SIGKILL');
  rmSync(profile, { recursive: true, force: true });
});

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Processes whose command line mentions the profile folder (the browser and its helpers). */
function browserProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(profile));
}

describe('npm start (headless)', () => {
  it('takes the next port, opens the console with the extension, and stops everything on Ctrl-C', async () => {
    blocker = await listen();
    const taken = (blocker.address() as { port: number }).port;
    child = spawn(
      process.execPath,
      [BIN, 'start', '--headless', '--port', String(taken), '--profile', profile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out = startOutput(child);
    const { exited } = out;
    await out.ready();
    expect(out.stderr()).toBe('');
    expect(out.stdout()).toContain(`Port ${taken} is in use; the sandbox took ${taken + 1}.`);
    expect(out.stdout()).toContain(
      'Checked: the browser loaded https://smart.cerner.com/ from the sandbox (HTTP 200); host mapping and certificate pin work.',
    );
    expect(out.stdout()).toMatch(/extension [a-p]{32} loaded via the command line/);
    expect(browserProcesses().length).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out.stdout()).toContain('Ctrl-C: stopping the browser and the sandbox');
    await new Promise((r) => setTimeout(r, 500));
    expect(browserProcesses()).toEqual([]);
  }, 180_000);
});
