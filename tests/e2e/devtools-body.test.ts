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
    const page = await h.context.newPage();
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
  });
});
