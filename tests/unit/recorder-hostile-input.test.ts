import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRecorder } from '../../entrypoints/background/recorder';
import type { CaptureEvent } from '../../utils/capture';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';

const AUTH = 'https://authorization.cerner.com/session-api/realm/t';

/** A request answered 400, as the listeners report it. */
function answered(requestId: string, url: string, at: number): CaptureEvent[] {
  const base = { requestId, url, tabId: 9, frameId: 0, parentFrameId: -1, type: 'main_frame', method: 'GET' };
  return [
    { kind: 'request', ...base, timeStamp: at },
    { kind: 'headers', ...base, statusCode: 400, statusLine: 'HTTP/1.1 400', timeStamp: at + 5 },
    { kind: 'completed', ...base, statusCode: 400, timeStamp: at + 10 },
  ];
}

function nestedTo(levels: number): string {
  let url = 'https://app.example/cb?code=x';
  for (let i = 0; i < levels; i++) url = `${AUTH}?to=${encodeURIComponent(url)}`;
  return url;
}

describe('recorder with hostile URLs', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    ['a 2 MB URL', `${AUTH}?to=${'a'.repeat(2 * 1024 * 1024)}`],
    ['invalid percent-encoding', `${AUTH}?to=%E0%A4%A&state=%ZZ%`],
    ['to= nested 50 levels', nestedTo(50)],
  ])('records %s next to a normal launch and loses nothing', async (_name, url) => {
    const rec = createRecorder({
      now: () => 10_000,
      hasHostPermission: () => false,
      watchedOrigins: () => [],
    });
    for (const e of ehrLaunchEvents(1000, 'secret-code-123456789')) rec.ingest(e);
    for (const e of answered('hostile', url, 2000)) rec.ingest(e);
    const launches = await rec.list();
    expect(launches.some((l) => l.status === 'succeeded')).toBe(true);
    const steps = launches.flatMap((l) => l.steps.map((s) => s.exchange.id));
    expect(steps).toContain('webRequest:hostile:0');
    expect(await rec.health()).toEqual({});
    // And it all comes back after a restart.
    const again = createRecorder({
      now: () => 10_000,
      hasHostPermission: () => false,
      watchedOrigins: () => [],
    });
    expect((await again.list()).flatMap((l) => l.steps.map((s) => s.exchange.id))).toEqual(steps);
  });
});
