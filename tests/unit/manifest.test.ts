/**
 * Polices the permissions of the *built* extension: a fresh production build (Chrome MV3 and Firefox)
 * is made into a temporary directory, so the assertion never reads a stale .output and never disturbs it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'sld-manifest-'));

// biome-ignore lint/suspicious/noExplicitAny: a manifest is untyped JSON
type Manifest = Record<string, any>;
let chrome: Manifest;
let firefox: Manifest;

beforeAll(async () => {
  // A separate Node process, so the build does not run inside the test's Vite/WXT plugin setup.
  const script = `const { build } = await import('wxt');
    await build({ browser: 'chrome', outDir: process.argv[1] });
    await build({ browser: 'firefox', outDir: process.argv[1] });`;
  await run(process.execPath, ['--input-type=module', '-e', script, outDir], {
    cwd: process.cwd(),
    timeout: 110_000,
  });
  chrome = JSON.parse(readFileSync(join(outDir, 'chrome-mv3', 'manifest.json'), 'utf8'));
  firefox = JSON.parse(readFileSync(join(outDir, 'firefox-mv2', 'manifest.json'), 'utf8'));
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('built manifest (Chrome MV3)', () => {
  it('asks for exactly the permissions the features need', () => {
    expect([...chrome.permissions].sort()).toEqual(
      [
        'browsingData',
        'cookies',
        'declarativeNetRequestWithHostAccess',
        'storage',
        'unlimitedStorage',
        'webNavigation',
        'webRequest',
      ].sort(),
    );
  });

  it('has exactly the expected host permissions, the rest optional', () => {
    expect(chrome.host_permissions).toEqual(['https://*.cerner.com/*']);
    expect(chrome.optional_host_permissions).toEqual([
      'https://*/*',
      'http://localhost/*',
      'http://127.0.0.1/*',
    ]);
    expect(chrome.optional_permissions).toBeUndefined();
  });

  it('ships no static rulesets (the strip rule is dynamic and off by default) and wires the pages', () => {
    expect(chrome.declarative_net_request).toBeUndefined();
    expect(chrome.action.default_popup).toBe('popup.html');
    expect(chrome.options_ui).toEqual({ page: 'options.html', open_in_tab: true });
    expect(chrome.background.service_worker).toBe('background.js');
    // light-dark() in the pages' colours.
    expect(chrome.minimum_chrome_version).toBe('123');
  });

  it('ships its icon at every size the toolbar, the extensions page and the store use', () => {
    const sizes = ['16', '32', '48', '128'];
    expect(Object.keys(chrome.icons).sort()).toEqual([...sizes].sort());
    expect(chrome.action.default_icon).toEqual(chrome.icons);
    for (const size of sizes) {
      const file = join(outDir, 'chrome-mv3', chrome.icons[size]);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(readFileSync(file))).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});

/** Width and height from a PNG's IHDR chunk; throws on anything that is not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG' || png.subarray(12, 16).toString('latin1') !== 'IHDR')
    throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('built manifest (Firefox)', () => {
  it('builds, with host permissions merged into permissions as MV2 requires', () => {
    expect(firefox.manifest_version).toBe(2);
    expect(firefox.permissions).toEqual(
      expect.arrayContaining(['declarativeNetRequestWithHostAccess', 'https://*.cerner.com/*']),
    );
    expect(firefox.optional_permissions).toEqual(['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*']);
    expect(firefox.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(firefox.browser_specific_settings.gecko.strict_min_version).toBe('120.0');
    expect(firefox.minimum_chrome_version).toBeUndefined();
  });
});
