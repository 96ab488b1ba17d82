/**
 * "The companion works, mine fails: what is different?" in a real browser. The companion (web/dist, served
 * by the sandbox) is launched from the Code Console and signs in; then the reported app
 * (3f2a8c4e-…, ~150 v1 + v2 scopes) is launched the same way while that session exists, and fails with
 * the forceAuthn 400. The reported app's launch page (http://localhost:4173, its registered launch URI) is
 * served by the test and does what a SMART client does: discovery, then authorize. The launch
 * log's "Compare with the last companion launch" must name the forceAuthn/cookie and scope differences.
 * Needs `npx wxt build && npx vite build --config web/vite.config.ts`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompanionBuilt, type Harness, startHarness } from './harness';
import { CONSOLE } from './launches';

const REPORTED = '3f2a8c4e-6b1d-4e7a-9c0f-2d5b8e1a7c33';
const COMPANION_ORIGIN = 'https://companion.smartdebugger.test';

interface App {
  clientId: string;
  launchUri: string;
  redirectUris: string[];
  scopes: string[];
}
const reported = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../sandbox/apps.json'), 'utf8')) as { apps: App[] }
).apps.find((a) => a.clientId === REPORTED)!;

/** The reported app's launch page: discovery, then authorize with its registered scopes and PKCE S256. */
function reportedLaunchPage(): string {
  const script = `(async () => {
    const q = new URLSearchParams(location.search);
    const iss = q.get('iss');
    const conf = await (await fetch(iss + '/.well-known/smart-configuration')).json();
    const p = new URLSearchParams({ response_type: 'code', client_id: ${JSON.stringify(REPORTED)},
      redirect_uri: ${JSON.stringify(reported.redirectUris[0])}, scope: ${JSON.stringify(reported.scopes.join(' '))},
      state: crypto.randomUUID().replace(/-/g, ''), aud: iss, launch: q.get('launch'),
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    location.assign(conf.authorization_endpoint + '?' + p);
  })().catch((e) => { document.body.append('Launch failed: ' + e.message); });`;
  return `<!doctype html><title>Reported app</title><p>Launching…</p><script>${script}</script>`;
}

/** The reported app's own origin (its registered launch URI), on loopback like a developer's dev server. */
async function serveReportedApp(): Promise<Server> {
  const { hostname, port } = new URL(reported.launchUri);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(reportedLaunchPage());
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', (e) =>
      fail(new Error(`Cannot serve the reported app on ${reported.launchUri}: ${e.message}`)),
    );
    server.listen(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, ready);
  });
  return server;
}

const rows = (log: Page) => log.locator('[role="listbox"] [role="option"]');

describe('compare a failing launch with the companion (e2e)', () => {
  let h: Harness;
  let app: Server | undefined;

  beforeAll(async () => {
    assertCompanionBuilt();
    h = await startHarness();
    await h.grantOrigins([`${COMPANION_ORIGIN}/*`]);
    app = await serveReportedApp();
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((done) => app?.close(done));
  });

  it('names the scope and forceAuthn differences, with the fix, from one click', async () => {
    const companion = await h.context.newPage();
    await companion.goto(CONSOLE);
    await companion.locator('tr[data-client-id="smart-debugger-companion"] a.launch').first().click();
    await companion.waitForSelector('#username', { timeout: 30_000 });
    await companion.fill('#username', 'portal');
    await companion.fill('#password', 'portal');
    await companion.click('#signin');
    await companion.waitForURL(/\/launch\/auth/, { timeout: 30_000 });

    const failing = await h.context.newPage();
    await failing.goto(CONSOLE);
    await failing.locator(`tr[data-client-id="${REPORTED}"] a.launch`).first().click();
    await expect.poll(() => failing.locator('h1').textContent(), { timeout: 30_000 }).toBe('Bad Request');

    const log = await h.extensionPage('log.html');
    const failed = rows(log).and(log.locator('[data-status="failed"]')).filter({ hasText: REPORTED });
    await expect.poll(() => failed.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await failed.first().click();
    await log.getByRole('button', { name: 'Compare with the last companion launch' }).click();

    const view = log.getByRole('region', { name: /^Comparison: Your app/ });
    await view.waitFor();
    expect(await view.locator('header p').first().textContent()).toBe(
      "Your app's launch failed at session-api (HTTP 400); the companion's launch succeeded.",
    );
    const diffs = view.getByRole('region', { name: 'Differences, most likely cause first' });
    const items = await diffs.locator('ol > li').allTextContents();
    expect(items[0]).toMatch(/Your app hit session-api with forceAuthn=true and \d+ cookies?/);
    expect(items[0]).toContain("the companion's hop had none");
    const scopes = items.find((t) => /scopes? the companion does not/.test(t));
    expect(scopes).toMatch(/Your app requests \d+ scopes the companion does not \(\d{3} vs \d+ in all\)/);
    expect(scopes).toContain('.read');
    expect(scopes).toMatch(/\d+ permissions are sent twice/);
    await diffs
      .getByRole('button', { name: /Strip forceAuthn/ })
      .first()
      .waitFor();

    const steps = view.getByRole('table', { name: 'Steps by kind' });
    expect(await steps.getByRole('row', { name: /^session-api/ }).textContent()).toMatch(
      /^session-api.*400 ✗ failed here.*30\d$/,
    );
    await view.getByRole('button', { name: 'Copy comparison as Markdown' }).click();
    await log.getByText('Comparison copied to the clipboard.').waitFor();
  });
});
