/**
 * The guided demo as a user runs it (`npm run demo`): the forceAuthn 400 reproduced, diagnosed by the
 * extension, fixed from the popup and the launch completed; the report and the screenshots.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/smart-launch-debugger.mjs', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'sld-demo-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('guided demo', () => {
  it('reproduces, diagnoses and fixes the forceAuthn 400, and reports each launch', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(process.execPath, [BIN, 'demo', '--out', out], { timeout: 230_000 }, (error, so, se) =>
          resolve({
            code: error ? Number((error as { code?: number }).code ?? -1) : 0,
            stdout: so,
            stderr: se,
          }),
        ),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
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
