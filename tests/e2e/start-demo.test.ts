/**
 * `npm start` without a display (SSH, containers, CI) runs the guided demo (`npm run demo`) to the end:
 * the forceAuthn 400 reproduced, diagnosed by the extension, fixed from the popup and the launch
 * completed; the report and the screenshots (in .demo/, where `npm run demo` puts them too).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/smart-launch-debugger.mjs', import.meta.url));
const out = fileURLToPath(new URL('../../.demo/', import.meta.url));

describe('npm start without a display: the guided demo', () => {
  it('reproduces, diagnoses and fixes the forceAuthn 400, reports each launch and exits 0', async () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(process.execPath, [BIN, 'start'], { env, timeout: 230_000 }, (error, so, se) =>
          resolve({
            code: error ? Number((error as { code?: number }).code ?? -1) : 0,
            stdout: so,
            stderr: se,
          }),
        ),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('No display (DISPLAY and WAYLAND_DISPLAY are unset)');
    const launches = [...stdout.matchAll(/^Launch (\d) of 3: (\w+)/gm)].map((m) => m[2]);
    expect(launches).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(stdout).toMatch(/Launch 2 of 3: FAILED at step \d+ session-api .*\(400\)/);
    expect(stdout).toContain('[error] forceAuthn rejected because a session already exists');
    expect(stdout).toMatch(/session-api .*\[rewritten by extension\]/);
    expect(stdout).toMatch(/Last launch: succeeded; 1 request rewritten by the extension\./);
    const shots = [...stdout.matchAll(/^ {2}(\S+\.png)$/gm)].map((m) => m[1]!);
    expect(shots).toHaveLength(6);
    for (const shot of shots) expect(existsSync(shot) && shot.startsWith(out)).toBe(true);
  }, 240_000);
});
