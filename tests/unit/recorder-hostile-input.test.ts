import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRecorder } from '../../entrypoints/background/recorder';
import type { RecordArea } from '../../entrypoints/background/records';
import { boundEvent, boundUrl, type CaptureEvent, MAX_URL_CHARS } from '../../utils/capture';
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

/** storage.session with Chromium's 10 MB quota (counted as Chromium does: key plus JSON value). */
function quotaSession(quota = 10 * 1024 * 1024): RecordArea {
  const area = fakeBrowser.storage.session;
  const size = (items: Record<string, unknown>) =>
    Object.entries(items).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
  return {
    get: (keys) => area.get(keys),
    set: async (items) => {
      const all = await area.get(null);
      for (const key of Object.keys(items)) delete all[key];
      if (size(all) + size(items) > quota)
        throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      await area.set(items);
    },
    remove: (keys) => area.remove(keys),
  };
}

describe('URL bound', () => {
  beforeEach(() => fakeBrowser.reset());

  it('cuts an over-long URL with a marker and leaves others as they are', () => {
    const long = `${AUTH}?to=${'a'.repeat(2 * 1024 * 1024)}`;
    const cut = boundUrl(long);
    expect(cut.startsWith(long.slice(0, MAX_URL_CHARS))).toBe(true);
    expect(cut.endsWith(`…[URL of ${long.length} characters cut to ${MAX_URL_CHARS}]`)).toBe(true);
    const short = `${AUTH}?to=x`;
    expect(boundUrl(short)).toBe(short);
    const event: CaptureEvent = {
      kind: 'redirect',
      requestId: 'r',
      url: short,
      redirectUrl: long,
      statusCode: 302,
      tabId: 1,
      timeStamp: 1,
    };
    expect(boundEvent(event)).toEqual({ ...event, redirectUrl: cut });
    const [plain] = answered('p', short, 1);
    expect(boundEvent(plain!)).toBe(plain);
  });

  it('with secrets kept, a 2 MB URL fits storage.session and recording goes on', async () => {
    const session = quotaSession();
    const deps = { now: () => 10_000, hasHostPermission: () => false, watchedOrigins: () => [], session };
    const rec = createRecorder(deps);
    await rec.setSettings({ maxLaunches: 200, maxAgeDays: 7, keepSecrets: true });
    const url = `${AUTH}?to=${'a'.repeat(2 * 1024 * 1024)}`;
    for (const e of answered('hostile', url, 2000)) rec.ingest(e);
    await rec.flush();
    for (const e of ehrLaunchEvents(3000, 'secret-code-123456789')) rec.ingest(e);
    const launches = await rec.list();
    expect(await rec.health()).toEqual({});
    expect(launches.some((l) => l.status === 'succeeded')).toBe(true);
    const hostile = launches.flatMap((l) => l.steps).find((s) => s.exchange.id === 'webRequest:hostile:0');
    expect(hostile?.exchange.url).toBe(boundUrl(url));
  });
});
