/** The pure decisions `npm start` makes: which browser, how to load the extension, display, Node version. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../bin/node-version.mjs';
import { candidates, ignoresLoadExtensionFlag, parseVersion } from '../../sandbox/start/browser-find';
import { newestSource } from '../../sandbox/start/builds';
import { hasDisplay } from '../../sandbox/start/start-command';

describe('browser discovery', () => {
  it.each([
    [
      'Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n',
      'chromium',
      156,
      'Chromium 156.0.8078.114',
    ],
    ['Google Chrome 137.0.7151.55 \n', 'google-chrome', 137, 'Google Chrome 137.0.7151.55'],
    [
      'Google Chrome for Testing 139.0.7258.5\n',
      'chrome-for-testing',
      139,
      'Google Chrome for Testing 139.0.7258.5',
    ],
    ['', 'unknown', undefined, undefined],
  ])('parses %j', (output, kind, major, version) => {
    expect(parseVersion(output)).toEqual(version ? { kind, major, version } : { kind });
  });

  it('only branded Google Chrome 137+ (or of unknown version) needs the DevTools protocol', () => {
    expect(ignoresLoadExtensionFlag({ kind: 'google-chrome', major: 137 })).toBe(true);
    expect(ignoresLoadExtensionFlag({ kind: 'google-chrome' })).toBe(true);
    expect(ignoresLoadExtensionFlag({ kind: 'google-chrome', major: 136 })).toBe(false);
    expect(ignoresLoadExtensionFlag({ kind: 'chrome-for-testing', major: 140 })).toBe(false);
    expect(ignoresLoadExtensionFlag({ kind: 'chromium', major: 156 })).toBe(false);
  });

  it('looks for Chromium before Chrome for Testing before Google Chrome on Linux', () => {
    const sources = [...new Set(candidates('linux', '/nonexistent-home').map((c) => c.source))];
    expect(sources).toEqual(['Chromium', 'Google Chrome']);
    const mac = candidates('darwin', '/x').map((c) => c.source);
    expect(mac).toEqual(['Chromium', 'Chrome for Testing', 'Google Chrome']);
  });
});

describe('start-up checks', () => {
  it('a display is needed on Linux only', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
  });

  it('Node 20.19 or newer', () => {
    expect(nodeVersionProblem('20.19.0')).toBeUndefined();
    expect(nodeVersionProblem('22.1.0')).toBeUndefined();
    expect(nodeVersionProblem('20.18.3')).toMatch(
      /needs Node\.js 20\.19 or newer .*this is Node\.js 20\.18\.3/,
    );
    expect(nodeVersionProblem('18.20.0')).toMatch(/20\.19/);
  });
});

describe('stale build check', () => {
  it('finds the newest source file, skipping node_modules, dist and dot folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'sld-src-'));
    const file = (path: string, seconds: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), seconds, seconds);
    };
    file('web/src/a.ts', 1000);
    file('web/src/deep/b.ts', 2000);
    file('web/dist/index.html', 9000);
    file('web/node_modules/x/index.js', 9000);
    file('web/.cache/y', 9000);
    file('other/c.ts', 5000);
    expect(newestSource(['web', 'missing'], root)).toBe(2_000_000);
    expect(newestSource(['web', 'other'], root)).toBe(5_000_000);
    rmSync(root, { recursive: true, force: true });
  });
});
