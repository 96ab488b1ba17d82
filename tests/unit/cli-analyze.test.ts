/**
 * `smart-launch-debugger analyze`: exit codes and one-line errors, in-process and through the real bin
 * (bin/smart-launch-debugger.mjs, as `npx smart-launch-debugger` runs it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../sandbox/start/analyze-command';
import { importHar } from '../../utils/har/import';
import { harTextFromZip } from '../../utils/har/zip';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/har/${name}`, import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/smart-launch-debugger.mjs', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'sld-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAnalyze(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('analyze command', () => {
  it('exit 1 for a failed launch, 0 for a succeeded one', () => {
    expect(run(fixture('chrome-forceauthn-400.har')).code).toBe(1);
    const ok = run(fixture('chrome-success.har'));
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(ok.out).toContain('SUCCEEDED');
  });

  it('--json prints the summary as JSON', () => {
    const { code, out } = run('--json', fixture('sandbox-forceauthn-400.har'));
    expect(code).toBe(1);
    const parsed = JSON.parse(out);
    expect(parsed.launches[0].status).toBe('failed');
    expect(parsed.exitCode).toBe(1);
  });

  it("a finding's evidence is printed with the step it comes from: the server's error URN for a support ticket", () => {
    const file = fixture('classes/aud-not-iss.firefox.har');
    const text = run(file).out;
    expect(text).toMatch(
      /· server error \(step \d+\): urn:cerner:error:authorization-server:[\w:-]*audience/,
    );
    const json = JSON.parse(run('--json', file).out);
    const evidence = json.launches[0].findings[0].evidence as {
      label: string;
      value: string;
      step?: number;
    }[];
    const urn = evidence.find((e) => e.label === 'server error')!;
    expect(urn.value).toMatch(/^urn:cerner:error:/);
    expect(json.launches[0].steps[urn.step! - 1].kind).toBe('callback');
  });

  it("Playwright's .zip (recordHar to a .zip path): the HAR inside, its bodies put back from their files", () => {
    const har = JSON.parse(readFileSync(fixture('chrome-success.har'), 'utf8'));
    // As Playwright writes it: each body in a file of its own, named by content._file.
    const files: Record<string, Uint8Array> = {};
    har.log.entries.forEach((e: { response: { content?: { text?: string; _file?: string } } }, i: number) => {
      const c = e.response.content;
      if (c?.text === undefined) return;
      files[`body-${i}.json`] = strToU8(c.text);
      c._file = `body-${i}.json`;
      delete c.text;
    });
    const zip = join(temp, 'trace.zip');
    writeFileSync(zip, zipSync({ 'har.har': strToU8(JSON.stringify(har)), ...files }));
    const fromZip = run('--json', zip);
    const plain = run('--json', fixture('chrome-success.har'));
    expect(fromZip.code).toBe(0);
    const reading = (out: string) =>
      (JSON.parse(out).launches as { status: string; findings: { ruleId: string }[] }[]).map(
        (l) => `${l.status} ${l.findings.map((f) => f.ruleId).join(',')}`,
      );
    expect(reading(fromZip.out)).toEqual(reading(plain.out));
    // Without its bodies the token response is not seen: the bodies did come back.
    expect(run(zip).out).not.toContain('token response was not recorded');

    const empty = join(temp, 'empty.zip');
    writeFileSync(empty, zipSync({ 'readme.txt': strToU8('no har here') }));
    expect(run(empty)).toMatchObject({
      code: 2,
      err: expect.stringContaining('empty.zip is a ZIP archive without a .har file'),
    });
    const broken = join(temp, 'broken.zip');
    writeFileSync(broken, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40, 7)]));
    expect(run(broken)).toMatchObject({
      code: 2,
      err: expect.stringContaining('broken.zip is a ZIP archive that cannot be read'),
    });
  });

  it('a .zip Playwright itself recorded (tests/fixtures/har/record-playwright.ts): sign-in, then the forceAuthn 400', () => {
    const zip = fixture('playwright-forceauthn-400.zip');
    const { code, out } = run('--json', zip);
    expect(code).toBe(1);
    const launches = JSON.parse(out).launches as { status: string; findings: { ruleId: string }[] }[];
    expect(launches.map((l) => l.status)).toEqual(['succeeded', 'failed']);
    expect(launches[1]!.findings[0]!.ruleId).toBe('force-authn-session');
    // The token response's body came back from its own file in the archive.
    const exchanges = importHar(harTextFromZip(readFileSync(zip), 'z.zip'), 'z.zip', 'z');
    const token = exchanges.find((e) => e.method === 'POST' && e.url.includes('/token'))!;
    expect(token.body?.text).toContain('"token_type"');
  });

  it('a token response nested thousands of levels deep is analyzed, its deep part masked', () => {
    const har = JSON.parse(readFileSync(fixture('chrome-success.har'), 'utf8'));
    const entry = har.log.entries.find((e: { response: { content?: { text?: string } } }) =>
      e.response.content?.text?.includes('access_token'),
    );
    // Written as text: JSON.stringify() itself cannot write a value this deep.
    const text0: string = entry.response.content.text;
    const deep = `${'['.repeat(5000)}"DEEP-SECRET-VALUE"${']'.repeat(5000)}`;
    entry.response.content.text = `${text0.slice(0, text0.lastIndexOf('}'))},"x":${deep}}`;
    const file = join(temp, 'deep.har');
    writeFileSync(file, JSON.stringify(har));
    const text = run(file);
    expect([text.code, text.err]).toEqual([0, '']);
    expect(text.out).toContain('SUCCEEDED');
    const json = run('--json', file);
    expect(json.code).toBe(0);
    expect(`${text.out}${json.out}`).not.toContain('DEEP-SECRET-VALUE');
  });

  it('a password from a login form, echoed later in a server error, is masked there too', () => {
    const har = JSON.parse(readFileSync(fixture('chrome-success.har'), 'utf8'));
    type Entry = {
      startedDateTime: string;
      request: { url: string; postData?: { mimeType: string; text: string } };
      response: { status: number; content: { size?: number; mimeType?: string; text?: string } };
    };
    const entries = har.log.entries as Entry[];
    const at = entries.findIndex((e) => e.response.content.text?.includes('access_token'));
    const token = entries[at]!;
    const password = 'Tr0ub4dor-x9';
    const login = structuredClone(token);
    login.request.url = 'https://authorization.cerner.com/login';
    login.request.postData = {
      mimeType: 'application/x-www-form-urlencoded',
      text: `username=bob&password=${password}`,
    };
    login.response = {
      ...login.response,
      status: 302,
      content: { size: 0, mimeType: 'text/html', text: '' },
    };
    login.startedDateTime = new Date(Date.parse(token.startedDateTime) - 500).toISOString();
    token.response.status = 400;
    token.response.content.text = JSON.stringify({
      error: 'invalid_grant',
      error_description: `Invalid password '${password}' for bob`,
    });
    entries.splice(at, 0, login);
    const file = join(temp, 'echo.har');
    writeFileSync(file, JSON.stringify(har));
    const text = run(file);
    const json = run('--json', file);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/The server said: “Invalid password 'Tr0…\[12\]' for bob”/);
    expect(`${text.out}${json.out}`).not.toContain('ub4dor');
  });

  it('an oversized file is refused before it is read', () => {
    const big = join(temp, 'big.har');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024 + 1);
    const { code, err } = run(big);
    expect(code).toBe(2);
    expect(err).toBe(`${big} is larger than 50 MB; save a shorter recording.`);
  });

  it.each([
    [[], /^No HAR file given\.\nUsage: smart-launch-debugger analyze/],
    [['a.har', 'b.har'], /^One HAR file at a time\./],
    [['--verbose', 'a.har'], /Unknown option '--verbose'/],
    [[join(temp, 'missing.har')], /missing\.har: no such file\.$/],
    [[temp], /is a folder, not a HAR file\.$/],
    [[fixture('broken-json.har')], /^broken-json\.har is not a HAR file: it is not valid JSON/],
    [[fixture('not-a-har.har')], /^not-a-har\.har is not a HAR file: it has no "log" object/],
  ])('usage and input errors exit 2: %j', (argv, message) => {
    const { code, out, err } = run(...argv);
    expect([code, out]).toEqual([2, '']);
    expect(err).toMatch(message);
  });
});

function spawnBin(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('the real bin', () => {
  it('analyze on a failing HAR prints the report and exits 1; --json on a succeeding one exits 0', async () => {
    const [failing, succeeding] = await Promise.all([
      spawnBin('analyze', fixture('chrome-forceauthn-400.har')),
      spawnBin('analyze', fixture('chrome-success.har'), '--json'),
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('Launch 1 of 1: FAILED at step 5');
    expect(failing.stderr).toBe('');
    expect(succeeding.code).toBe(0);
    expect(JSON.parse(succeeding.stdout).counts).toEqual({ succeeded: 1 });
  }, 90_000);

  it('a non-HAR file and an unknown command exit 2 with one line on stderr', async () => {
    const [notHar, unknown] = await Promise.all([
      spawnBin('analyze', fixture('not-a-har.har')),
      spawnBin('analyse', 'x.har'),
    ]);
    expect([notHar.code, notHar.stdout]).toEqual([2, '']);
    expect(notHar.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown command analyse\./);
  }, 90_000);
});
