/**
 * companion.smartdebugger.test: the built companion app (web/dist) under /launch/, and the probe client
 * under /probe/. A missing build answers a 404 page that says how to build it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Hono } from 'hono';
import { esc, page } from '../html';
import type { SandboxState } from '../state';
import { probeCallbackPage, probeLaunchPage } from './probe';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file for `/launch/<rest>`: exact file, directory index, `.html`, then the SPA's index.html. */
export function resolveStatic(root: string, rest: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const candidates = [path, join(path, 'index.html'), `${path}.html`];
  if (extname(path) === '') candidates.push(join(root, 'index.html'));
  return candidates.find(isFile);
}

export function companionHost(sandbox: SandboxState): Hono {
  const app = new Hono();
  app.get('/', (c) => c.redirect('/launch/', 302));
  app.get('/probe/launch', (c) => c.html(probeLaunchPage()));
  app.get('/probe/callback', (c) => c.html(probeCallbackPage(new URL(c.req.url).searchParams)));
  app.get('/launch', (c) => c.redirect('/launch/', 301));
  app.get('/launch/*', (c) => {
    const root = normalize(sandbox.webDist);
    if (!existsSync(join(root, 'index.html'))) {
      const body = `<h1>Companion app not built</h1><p>No build found in <code>${esc(root)}</code>: run <code>npm run build:web</code>, then reload.</p>`;
      return c.html(page('Companion app not built', body), 404);
    }
    const rest = new URL(c.req.url).pathname.slice('/launch/'.length);
    const file = resolveStatic(root, rest);
    if (!file) return c.html(page('Not Found', '<h1>Not Found</h1>'), 404);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    return c.body(readFileSync(file), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });
  app.notFound((c) => c.html(page('Not Found', '<h1>Not Found</h1>'), 404));
  return app;
}
