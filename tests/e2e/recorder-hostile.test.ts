/**
 * The recorder against hostile conditions, in a real Chromium with the built extension:
 * - storage.session filled to its quota (the recorder journals every event there): the popup and the log
 *   page say so, the launch is still recorded in full, other features still answer, and the warning goes
 *   once a write succeeds again;
 * - hostile navigations to a watched Oracle host (a URL just under Chromium's 2 MiB limit, invalid
 *   percent-encoding, `to=` nested 50 deep): recorded with what went wrong, nothing earlier lost;
 * - a second extension sending our background messages and opening a port, and a web page posting
 *   messages at our pages: no effect.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT } from '../../sandbox';
import { MAX_URL_CHARS } from '../../utils/capture/bounds';
import type { LaunchSummary } from '../../utils/launch/summary';
import type { Launch } from '../../utils/model';
import { APP_ORIGIN, logRows } from './companion';
import { type Harness, startHarness } from './harness';
import { ask, CONSOLE, listLaunches, probeLaunch } from './launches';

/** The part of chrome.storage.session the quota test uses. */
type SessionArea = {
  QUOTA_BYTES: number;
  set(items: object): Promise<void>;
  remove(keys: string[]): Promise<void>;
  getBytesInUse(keys: null): Promise<number>;
};
type WithSession = { chrome: { storage: { session: SessionArea } } };
/** chrome.runtime as another extension's page uses it towards ours. */
type OtherRuntime = {
  id: string;
  lastError?: { message?: string };
  sendMessage(extensionId: string, message: object): Promise<unknown>;
  connect(
    extensionId: string,
    info: { name: string },
  ): {
    postMessage(message: object): void;
    onMessage: { addListener(cb: (message: unknown) => void): void };
    onDisconnect: { addListener(cb: () => void): void };
  };
};
const AUTH = 'https://authorization.cerner.com';
const AUTHORIZE = `${AUTH}/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const SESSION_API = `${AUTH}/session-api/realm/${TENANT}`;
/** Chromium refuses URLs longer than 2 MiB; this one is just under. */
const LONG_URL = `${AUTHORIZE}?response_type=code&client_id=sandbox-probe&state=long&to=`;
const longUrl = () => LONG_URL + 'a'.repeat(2 * 1024 * 1024 - 1024 - LONG_URL.length);
const BAD_PERCENT = `${AUTHORIZE}?response_type=code&client_id=%zz&state=%E0%A4%A&aud=%`;

/** A session-api URL whose `to` is a session-api URL … `levels` deep, ending at an authorize URL. */
function nestedTo(levels: number): string {
  let url = `${AUTHORIZE}?response_type=code&client_id=sandbox-probe&state=deep`;
  for (let i = 0; i < levels; i++) url = `${SESSION_API}?to=${encodeURIComponent(url)}`;
  return url;
}

/** What must come out the same for the same launch: status and every step, by kind and method. */
const outline = (l: Launch) => ({
  status: l.status,
  steps: l.steps.map((s) => `${s.kind} ${s.exchange.method}`).sort(),
});

/** The launches whose id is not in `before`, once their statuses are `statuses` (newest first). */
async function newLaunches(ext: Page, before: Iterable<Launch>, statuses: string[]): Promise<Launch[]> {
  const old = new Set([...before].map((l) => l.id));
  let fresh: Launch[] = [];
  await expect
    .poll(
      async () => {
        fresh = (await listLaunches(ext)).filter((l) => !old.has(l.id));
        return fresh.map((l) => l.status);
      },
      { timeout: 30_000 },
    )
    .toEqual(statuses);
  return fresh;
}

/** Every launch of `before` is still there, unchanged. */
async function expectKept(ext: Page, before: Launch[]): Promise<void> {
  const now = new Map((await listLaunches(ext)).map((l) => [l.id, outline(l)]));
  expect(before.map((l) => now.get(l.id))).toEqual(before.map(outline));
}

describe('recorder against hostile conditions (e2e)', () => {
  let h: Harness;
  let ext: Page;
  let baseline: ReturnType<typeof outline>;

  beforeAll(async () => {
    h = await startHarness({ quirk: 'none' });
    // The app's token request and FHIR read are recorded too, so a normal launch ends as succeeded.
    await h.grantOrigins([`${APP_ORIGIN}/*`]);
    // A page that shows nothing of the log, to ask the background from.
    ext = await h.extensionPage('options.html');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a normal launch: the baseline', async () => {
    await probeLaunch(h.context);
    const [launch] = await newLaunches(ext, [], ['succeeded']);
    baseline = outline(launch!);
    expect(baseline.steps).toEqual(
      expect.arrayContaining(['callback GET', 'token POST', 'fhir GET', 'idp-login POST']),
    );
  });

  // The baseline left a signed-in session: the session-api answers each level with a redirect to its `to`.
  it.each([
    {
      name: 'a URL just under 2 MiB',
      url: longUrl,
      check: (launch: Launch, url: string) => {
        const [step] = launch.steps;
        expect(step!.exchange.url.startsWith(LONG_URL)).toBe(true);
        // Kept cut, with a marker saying so: whole, it overflowed storage.session with secrets kept.
        expect(step!.exchange.url.length).toBeLessThan(MAX_URL_CHARS + 100);
        expect(step!.exchange.url).toMatch(new RegExp(`…\\[URL of ${url.length} characters cut to \\d+\\]$`));
        // The sandbox refuses a request line this long (Node's 64 KiB header limit): a 431 and a reset,
        // or the reset alone when it lands before Chromium has read the 431.
        expect(step!.exchange.error).toBe('net::ERR_CONNECTION_RESET');
        expect([431, undefined]).toContain(step!.exchange.status);
      },
      detail: /authorize \(provider\)[\s\S]*net::ERR_CONNECTION_RESET/,
    },
    {
      name: 'invalid percent-encoding',
      url: () => BAD_PERCENT,
      check: (launch: Launch) => {
        expect(launch.steps.map((s) => s.kind)).toEqual(['authorize', 'error-page']);
        expect(launch.steps[0]!.exchange.url).toBe(BAD_PERCENT);
        // The sandbox answers with its error page for the unknown client `%zz`; the finding names it.
        expect(launch.findings.map((f) => f.ruleId)).toContain('authorization-error-page');
      },
      detail: /Unknown client[\s\S]*client: %zz/,
    },
    {
      name: '`to=` nested 50 levels',
      url: () => nestedTo(50),
      check: (launch: Launch, url: string) => {
        expect(launch.steps[0]!.exchange.url).toBe(url);
        // One redirect per level until Chromium gives up after 20 (net::ERR_TOO_MANY_REDIRECTS to the
        // page; webRequest reports the last hop as aborted).
        expect(launch.steps.map((s) => s.kind)).toEqual(Array(20).fill('session-api'));
        expect(launch.steps.at(-1)!.exchange.error).toMatch(/^net::ERR_/);
      },
      detail: /Too many redirects[\s\S]*network error: net::ERR_[\s\S]*Timeline \(20\)/,
    },
  ])(
    'a navigation with $name is recorded with its error, nothing earlier is lost',
    async ({ url, check, detail }) => {
      // Secrets kept: the worst case for storage.session (journal entries hold the event twice, and the
      // unredacted copy lives there too).
      await ask(ext, 'recorder/settings/set', {
        ...(await ask<object>(ext, 'recorder/settings/get')),
        keepSecrets: true,
      });
      const earlier = await listLaunches(ext);
      const target = url();
      const tab = await h.context.newPage();
      const answer = await tab.goto(target).then(
        (r) => `HTTP ${r?.status()}`,
        (e: Error) => e.message.split('\n')[0]!,
      );
      await tab.close();
      const [launch] = await newLaunches(ext, earlier, ['failed']);
      check(launch!, target);
      expect(await ask(ext, 'recorder/health'), answer).toEqual({});

      // The summaries and the single launch answer, and nothing recorded before is lost or changed.
      const summaries = await ask<LaunchSummary[]>(ext, 'launches/summaries');
      expect(summaries[0]).toMatchObject({
        id: launch!.id,
        status: 'failed',
        stepCount: launch!.steps.length,
      });
      expect(await ask<Launch>(ext, 'launches/get', { id: launch!.id })).toEqual(launch);
      await expectKept(ext, earlier);

      // The log page renders the launch (newest first): the finding or error, and the timeline.
      const log = await h.extensionPage('log.html');
      await logRows(log).first().click();
      await expect
        .poll(() => log.locator('.sld-detail-pane').textContent(), { timeout: 10_000 })
        .toMatch(detail);
      await log.close();
    },
  );

  it('a normal launch after the hostile ones is recorded as before', async () => {
    await ask(ext, 'recorder/settings/set', {
      ...(await ask<object>(ext, 'recorder/settings/get')),
      keepSecrets: false,
    });
    const before = await listLaunches(ext);
    await probeLaunch(h.context);
    const [launch] = await newLaunches(ext, before, ['succeeded']);
    expect(outline(launch!)).toEqual(baseline);
    await expectKept(ext, before);
    expect(await ask(ext, 'recorder/health')).toEqual({});
  });

  it('storage.session full: the user is told, the launch is recorded in full, the rest still works', async () => {
    const before = await listLaunches(ext);
    // Filler keys of our own naming (no recorder prefix), down to the last few hundred bytes of the quota:
    // less than any journal entry. (Chromium counts small strings as near free: 16-byte values would go on
    // being accepted by the ten thousand.)
    const filled = await ext.evaluate(async () => {
      const area = (globalThis as unknown as WithSession).chrome.storage.session;
      let n = 0;
      for (let size = 1 << 20; size >= 64; size >>= 2) {
        for (;;) {
          try {
            await area.set({ [`filler.${n}`]: 'x'.repeat(size) });
            n++;
          } catch {
            break;
          }
        }
      }
      return { keys: n, used: await area.getBytesInUse(null), quota: area.QUOTA_BYTES };
    });
    expect(filled.quota - filled.used).toBeLessThan(400);

    const popup = await h.extensionPage('popup.html');
    const log = await h.extensionPage('log.html');
    await probeLaunch(h.context);
    const [launch] = await newLaunches(ext, before, ['succeeded']);
    // Every event was still recorded: kept in memory and compacted into storage.local.
    expect(outline(launch!)).toEqual(baseline);
    await expectKept(ext, before);

    // The user is told, in words, in both pages that were open.
    const health = await ask<{ writeError?: { message: string } }>(ext, 'recorder/health');
    expect(health.writeError?.message).toMatch(/^Could not record an event: .*quota/i);
    const warning = (page: Page) => page.getByRole('alert').filter({ hasText: /Could not record an event/ });
    await warning(popup).waitFor();
    await warning(log).waitFor();
    expect(await warning(log).textContent()).toMatch(/quota/i);
    // Still there a moment later: compaction into storage.local succeeding does not hide it.
    await popup.waitForTimeout(500);
    expect(await warning(popup).textContent()).toMatch(/quota/i);
    // A popup opened now shows it too.
    const fresh = await h.extensionPage('popup.html');
    await warning(fresh).waitFor();
    await fresh.close();

    // Other features answer: the strip rule can be read and turned on and off, settings read.
    expect(await ask<{ enabled: boolean }>(ext, 'rules/get')).toMatchObject({ enabled: false });
    expect(await ask<{ enabled: boolean }>(ext, 'rules/set', { enabled: true })).toMatchObject({
      enabled: true,
    });
    expect(await ask<{ enabled: boolean }>(ext, 'rules/set', { enabled: false })).toMatchObject({
      enabled: false,
    });
    expect(await ask(ext, 'recorder/settings/get')).toMatchObject({ keepSecrets: false });

    // Room again: the next event is journaled and the warning goes away on the pages still open.
    await ext.evaluate(
      async (keys) => {
        await (globalThis as unknown as WithSession).chrome.storage.session.remove(keys);
      },
      Array.from({ length: filled.keys }, (_, i) => `filler.${i}`),
    );
    const recorded = await listLaunches(ext);
    await probeLaunch(h.context);
    const [next] = await newLaunches(ext, recorded, ['succeeded']);
    expect(outline(next!)).toEqual(baseline);
    expect(await ask(ext, 'recorder/health')).toEqual({});
    await expect.poll(() => warning(popup).count()).toBe(0);
    await expect.poll(() => warning(log).count()).toBe(0);
    await popup.close();
    await log.close();
  }, 180_000);
});

/** A tiny MV3 extension with one blank page, its id fixed by a manifest key. */
function writeProbeExtension(): { dir: string; id: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sld-other-ext-'));
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  // Chromium's id: the first 128 bits of the key's SHA-256, hex digits 0-f written as a-p.
  const id = [...createHash('sha256').update(der).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode(97 + Number.parseInt(c, 16)))
    .join('');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Other extension',
      version: '1.0',
      key: der.toString('base64'),
    }),
  );
  writeFileSync(join(dir, 'page.html'), '<!doctype html><title>other</title>');
  return { dir, id };
}

describe('another extension and web pages (e2e)', () => {
  let h: Harness;
  let ext: Page;
  let other: { dir: string; id: string };

  beforeAll(async () => {
    other = writeProbeExtension();
    h = await startHarness({ quirk: 'none', extraExtensions: [other.dir] });
    ext = await h.extensionPage('options.html');
    // Something to lose: an imported launch, and the strip rule on.
    await ask(ext, 'launches/import-har', {
      fileName: 'forceauthn.har',
      text: readFileSync(join(process.cwd(), 'tests/fixtures/har/sandbox-forceauthn-400.har'), 'utf8'),
    });
    await ask(ext, 'rules/set', { enabled: true });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(other.dir, { recursive: true, force: true });
  });

  it('messages and a port from another extension are refused and change nothing', async () => {
    const launches = (await listLaunches(ext)).map(outline);
    expect(launches).toHaveLength(1);
    const rule = await ask(ext, 'rules/get');

    const page = await h.context.newPage();
    await page.goto(`chrome-extension://${other.id}/page.html`);
    const attempts = await page.evaluate(async (target) => {
      const c = (globalThis as unknown as { chrome: { runtime: OtherRuntime } }).chrome;
      const send = (message: object) =>
        c.runtime.sendMessage(target, message).then(
          (reply: unknown) => ({ reply }),
          (e: Error) => ({ error: e.message }),
        );
      const port = await new Promise<{ error?: string; message?: unknown }>((resolve) => {
        const p = c.runtime.connect(target, { name: 'launches' });
        p.onMessage.addListener((message) => resolve({ message }));
        p.onDisconnect.addListener(() => resolve({ error: c.runtime.lastError?.message ?? 'disconnected' }));
        p.postMessage({ type: 'launches/clear', payload: {} });
      });
      return {
        self: c.runtime.id,
        clear: await send({ type: 'launches/clear', payload: {} }),
        rules: await send({ type: 'rules/set', payload: { enabled: false } }),
        port,
      };
    }, h.extensionId);
    await page.close();
    // The page really ran as the other extension (so a listener of ours would have been reached).
    expect(attempts.self).toBe(other.id);
    expect(attempts.clear).toEqual({ error: expect.stringMatching(/Receiving end does not exist/) });
    expect(attempts.rules).toEqual({ error: expect.stringMatching(/Receiving end does not exist/) });
    expect(attempts.port).toEqual({ error: expect.stringMatching(/Receiving end does not exist/) });

    expect((await listLaunches(ext)).map(outline)).toEqual(launches);
    expect(await ask(ext, 'rules/get')).toEqual(rule);
  });

  it('a web page can neither frame our pages nor post messages into them', async () => {
    const launches = (await listLaunches(ext)).map(outline);
    const page = await h.context.newPage();
    await page.goto(CONSOLE);
    const framed = `chrome-extension://${h.extensionId}/log.html`;
    await page.evaluate(async (src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      await new Promise((r) => setTimeout(r, 1000));
      for (const type of ['launches/clear', 'rules/set'])
        frame.contentWindow?.postMessage({ type, payload: { enabled: false } }, '*');
      window.postMessage({ type: 'launches/clear', payload: {} }, '*');
    }, framed);
    // No web_accessible_resources: Chromium blocks the frame, so no page of ours is there to receive (and
    // none of our pages listens to `message` events anyway: no addEventListener('message') in the build).
    const inFrame = page.frames().find((f) => f !== page.mainFrame());
    expect(await inFrame!.evaluate(() => document.title).catch(() => 'unreachable')).not.toBe(
      'SMART launch log',
    );
    await page.close();
    expect((await listLaunches(ext)).map(outline)).toEqual(launches);
    expect(await ask<{ enabled: boolean }>(ext, 'rules/get')).toMatchObject({ enabled: true });
  });
});
