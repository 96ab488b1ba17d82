/**
 * `npm start` with a display, as a user on a desktop gets it: the same command under `xvfb-run -a` (a
 * virtual X server, so DISPLAY is set and the browser opens a real window, not --headless). The browser
 * must reach the sandbox's Code Console with the extension's service worker running (start reports the
 * extension id it read from that worker), stay open, and Ctrl-C must stop the browser, the sandbox and
 * the X server with nothing left behind. CI installs xvfb (.ci/run).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startOutput } from './start-output';

const BIN = fileURLToPath(new URL('../../bin/smart-launch-debugger.mjs', import.meta.url));
const XVFB_RUN = '/usr/bin/xvfb-run';
const profile = mkdtempSync(join(tmpdir(), 'sld-start-display-'));
/**
 * The X authority file, named so that xvfb-run makes no temporary folder of its own: removing that
 * folder after the command exits races with the X server's shutdown now and then, and xvfb-run then
 * exits 5 instead of the command's status.
 */
const xauthority = mkdtempSync(join(tmpdir(), 'sld-start-display-x-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  // The browser runs in a process group of its own: after a failure, stop what is left of it too.
  for (const p of processesUsingProfile()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(profile, { recursive: true, force: true });
  rmSync(xauthority, { recursive: true, force: true });
});

/** Processes (pid and command line) mentioning the profile folder: our node process and the browser's. */
function processesUsingProfile(): Array<{ pid: number; args: string }> {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().match(/^(\d+) (.*)$/))
    .filter((m): m is RegExpMatchArray => !!m && m[2]!.includes(profile))
    .map((m) => ({ pid: Number(m[1]), args: m[2]! }));
}

/**
 * Processes still running in the group xvfb-run was started in (Xvfb, the shell script, node). Exited
 * ones waiting to be reaped (state Z) are left out: here they are reparented to an init that reaps late.
 */
function processGroupMembers(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pgid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, stat]) => group === String(pgid) && !stat!.startsWith('Z'))
    .map((fields) => fields.slice(2).join(' '));
}

/** The sandbox answers the Code Console page by Host, as the mapped browser asks for it. */
function consoleStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers: { host: 'smart.cerner.com' },
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', () => resolve(undefined));
    req.setTimeout(5000, () => req.destroy());
    req.end();
  });
}

describe.skipIf(process.platform !== 'linux')('npm start (with a display, under Xvfb)', () => {
  it('opens a window on the console with the extension running, stays open, and stops on Ctrl-C', async () => {
    expect(existsSync(XVFB_RUN), 'xvfb-run is missing: apt-get install xvfb (bash .ci/run does)').toBe(true);
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    // Its own process group, so the afterAll can remove everything if the test fails half-way.
    child = spawn(
      XVFB_RUN,
      [
        '-a',
        '-f',
        join(xauthority, 'Xauthority'),
        process.execPath,
        BIN,
        'start',
        '--port',
        '0',
        '--profile',
        profile,
      ],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const out = startOutput(child);
    const { exited } = out;
    await out.ready();

    expect(out.stdout()).not.toContain('No display');
    expect(out.stderr()).toBe('');
    expect(out.stdout()).toContain(
      'Checked: the browser loaded https://smart.cerner.com/ from the sandbox (HTTP 200); host mapping and certificate pin work.',
    );
    expect(out.stdout()).toMatch(/extension [a-p]{32} loaded via the command line/);
    const port = Number(out.stdout().match(/Sandbox on https:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(port).toBeGreaterThan(0);

    // A real window: the browser runs without --headless, on the X server xvfb-run started.
    const browser = processesUsingProfile().filter((p) => p.args.includes('--user-data-dir='));
    expect(browser.length).toBeGreaterThan(0);
    expect(browser.some((p) => p.args.includes('--headless'))).toBe(false);

    // Still usable a few seconds later: the browser and the sandbox are up, start has not stopped.
    await new Promise((r) => setTimeout(r, 3000));
    expect(child.exitCode).toBeNull();
    expect(out.stdout()).not.toContain('The browser closed');
    expect(processesUsingProfile().some((p) => p.args.includes('--user-data-dir='))).toBe(true);
    expect(await consoleStatus(port)).toBe(200);

    // Ctrl-C in the terminal reaches `npm start` (node), which stops the browser and the sandbox.
    // (xvfb-run's own command line names the bin too; a shell script would only act on it after node exits.)
    const node = processesUsingProfile().find((p) => p.args.startsWith(`${process.execPath} ${BIN}`));
    expect(node).toBeDefined();
    process.kill(node!.pid, 'SIGINT');
    expect(await exited).toBe(130);
    expect(out.stdout()).toContain('Ctrl-C: stopping the browser and the sandbox');
    await new Promise((r) => setTimeout(r, 500));
    expect(processesUsingProfile()).toEqual([]);
    expect(processGroupMembers(child.pid!)).toEqual([]);
    expect(await consoleStatus(port)).toBeUndefined();
  }, 180_000);
});
