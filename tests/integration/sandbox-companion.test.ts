/** companion.smartdebugger.test: the built companion app from webDist, the build hint, and the probe pages. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox';
import { send } from './sandbox-client';

const root = mkdtempSync(join(tmpdir(), 'sandbox-companion-'));
const dist = join(root, 'dist');
let built: Sandbox;
let unbuilt: Sandbox;
beforeAll(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>companion index</title>');
  writeFileSync(join(dist, 'launch.html'), '<!doctype html><title>companion launch</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  const keysDir = join(root, 'keys');
  built = await startSandbox({ keysDir, webDist: dist });
  unbuilt = await startSandbox({ keysDir, webDist: join(root, 'missing') });
}, 60_000);
afterAll(async () => {
  await built.close();
  await unbuilt.close();
  rmSync(root, { recursive: true, force: true });
});

const C = 'https://companion.smartdebugger.test';

describe('companion host', () => {
  it.each([
    ['/launch/', 'companion index', 'text/html'],
    ['/launch/launch', 'companion launch', 'text/html'],
    ['/launch/launch.html', 'companion launch', 'text/html'],
    ['/launch/auth?code=abc&state=x', 'companion index', 'text/html'],
    ['/launch/assets/app.js', 'console.log(1)', 'text/javascript'],
  ])('%s serves the built file', async (path, body, type) => {
    const reply = await send(built, `${C}${path}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(body);
    expect(String(reply.headers['content-type'])).toContain(type);
  });

  it('404s a missing asset instead of falling back to index.html', async () => {
    expect((await send(built, `${C}/launch/assets/nope.js`)).status).toBe(404);
  });

  it('says how to build when web/dist is missing', async () => {
    const reply = await send(unbuilt, `${C}/launch/`);
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('run <code>npm run build:web</code>');
  });

  it('serves the probe launch and callback pages with the values escaped', async () => {
    expect((await send(unbuilt, `${C}/probe/launch?iss=x`)).body).toContain('smart-configuration');
    const cb = await send(unbuilt, `${C}/probe/callback?code=<b>c</b>&state=s1`);
    expect(cb.body).toContain('<code id="code">&lt;b&gt;c&lt;/b&gt;</code>');
    expect(cb.body).toContain('<code id="state">s1</code>');
  });
});
