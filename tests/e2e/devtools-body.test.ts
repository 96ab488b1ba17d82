import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { CONSOLE, listLaunches, PROBE_LAUNCH, signIn } from './launches';

describe('DevTools body capture (e2e)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ quirk: 'none', extraArgs: ['--auto-open-devtools-for-tabs'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a token response body reaches the launch, redacted', async () => {
    // Everything the extension writes to storage from here on, journal entries included (they are gone
    // once compacted), is kept by an extension page and scanned for the launch's secrets at the end.
    const watcher = await h.extensionPage('popup.html');
    await watcher.evaluate(() => {
      const g = globalThis as unknown as {
        written: string[];
        chrome: { storage: { onChanged: { addListener(cb: (c: object, area: string) => void): void } } };
      };
      g.written = [];
      g.chrome.storage.onChanged.addListener((changes, area) => {
        for (const [key, change] of Object.entries(changes))
          g.written.push(`${area} ${key} ${JSON.stringify((change as { newValue?: unknown }).newValue)}`);
      });
    });
    const page = await h.context.newPage();
    const secrets: string[] = [];
    page.on('response', async (response) => {
      if (!/\/token$/.test(new URL(response.url()).pathname)) return;
      const token = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      for (const k of ['access_token', 'refresh_token', 'id_token'])
        if (typeof token[k] === 'string') secrets.push(token[k] as string);
    });
    await page.goto(CONSOLE);
    // Requests made before the devtools page has loaded are not seen (see waitForDevtoolsPages in harness.ts).
    await h.waitForDevtoolsPages(h.context.pages().length);
    await page.locator(PROBE_LAUNCH).first().click();
    await signIn(page);
    await expect.poll(() => page.locator('#exchange').textContent(), { timeout: 20_000 }).toBe('token 200');

    const ext = await h.extensionPage('popup.html');
    const tokenStep = async () =>
      (await listLaunches(ext)).flatMap((l) => l.steps).find((s) => s.kind === 'token' && s.exchange.body);
    await expect.poll(async () => (await tokenStep()) !== undefined, { timeout: 20_000 }).toBe(true);
    const step = (await tokenStep())!;
    expect(step.exchange.source).toBe('devtools');
    expect(step.exchange.status).toBe(200);
    const body = JSON.parse(step.exchange.body!.text) as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.patient).toBe('12742400');
    expect(body.access_token).toMatch(/^.{0,3}…\[\d+\]$/);

    const [launch] = await listLaunches(ext);
    expect(launch!.steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['session-api', 'callback', 'token']),
    );
    expect(launch!.status).toBe('succeeded');

    // No secret of this launch was ever written by the extension, to either storage area.
    const probe = JSON.parse((await page.evaluate(() => sessionStorage.getItem('probe'))) ?? '{}') as {
      verifier?: string;
    };
    const code = new URL(page.url()).searchParams.get('code');
    const cookies = (await h.context.cookies('https://authorization.cerner.com/')).map((c) => c.value);
    secrets.push(code ?? '', probe.verifier ?? '', ...cookies.filter((v) => v.length >= 8));
    expect(secrets.filter((s) => s.length >= 8).length).toBeGreaterThanOrEqual(4);
    const stored = await watcher.evaluate(async () => {
      const g = globalThis as unknown as {
        written: string[];
        chrome: {
          storage: { local: { get(k: null): Promise<object> }; session: { get(k: null): Promise<object> } };
        };
      };
      const now = [await g.chrome.storage.local.get(null), await g.chrome.storage.session.get(null)];
      return { written: g.written, now: JSON.stringify(now) };
    });
    expect(stored.written.some((w) => w.startsWith('session rec.j.'))).toBe(true);
    const everything = `${stored.written.join('\n')}\n${stored.now}`;
    for (const secret of secrets.filter((s) => s.length >= 8)) {
      // The JWTs are checked by their signature part as well (a header alone is no secret).
      for (const part of [secret, secret.split('.').at(-1)!])
        if (part.length >= 8) expect(everything, 'a secret reached extension storage').not.toContain(part);
    }
  });
});
