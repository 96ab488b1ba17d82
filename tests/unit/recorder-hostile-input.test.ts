import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRecorder } from '../../entrypoints/background/recorder';
import type { RecordArea } from '../../entrypoints/background/records';
import {
  boundEvent,
  boundForm,
  boundUrl,
  type CaptureEvent,
  MAX_FORM_CHARS,
  MAX_FORM_FIELDS,
  MAX_URL_CHARS,
} from '../../utils/capture';
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

  it('names a full session storage in a sentence the pages can end (no doubled period)', async () => {
    const session = quotaSession(1);
    const rec = createRecorder({
      now: () => 10_000,
      hasHostPermission: () => false,
      watchedOrigins: () => [],
      session,
    });
    for (const e of ehrLaunchEvents(3000, 'secret-code-123456789')) rec.ingest(e);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { writeError } = await rec.health();
    expect(writeError?.message).toBe(
      'Could not record an event: Session storage quota bytes exceeded. Values were not stored',
    );
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

/** The launch's events with `extra` fields added to its token request's form. */
function withTokenForm(at: number, extra: Record<string, string[]>): CaptureEvent[] {
  return ehrLaunchEvents(at, 'secret-code-123456789').map((e) =>
    e.kind === 'request' && e.form?.grant_type ? { ...e, form: { ...e.form, ...extra } } : e,
  );
}

describe('form bound', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps a form within bounds as it is, and cuts giant values and field counts with a marker', () => {
    const small = { grant_type: ['authorization_code'], code: ['c'] };
    expect(boundForm(small)).toBe(small);
    const giant = { grant_type: ['authorization_code'], junk: ['j'.repeat(1024 * 1024)], after: ['a'] };
    const cut = boundForm(giant);
    expect(cut.grant_type).toEqual(['authorization_code']);
    const size = Object.entries(cut).reduce((n, [k, v]) => n + k.length + v.join('').length, 0);
    expect(size).toBeLessThan(MAX_FORM_CHARS + 200);
    expect(cut.junk![0]).toMatch(/…\[value of 1048576 characters cut to \d+\]$/);
    // Fields after the budget ran out are not kept, and the form says how many went.
    expect(cut.after).toBeUndefined();
    expect(cut['…']).toEqual(['1 more field(s) of 3 not kept']);
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, ['v']]));
    const fewer = boundForm(many);
    expect(Object.keys(fewer)).toHaveLength(MAX_FORM_FIELDS + 1);
    expect(fewer['…']).toEqual([`${10_000 - MAX_FORM_FIELDS} more field(s) of 10000 not kept`]);
    const event = withTokenForm(1000, { junk: ['j'.repeat(1024 * 1024)] }).find(
      (e) => e.kind === 'request' && e.form?.junk,
    )!;
    expect((boundEvent(event) as { form: Record<string, string[]> }).form).toEqual(
      boundForm((event as { form: Record<string, string[]> }).form),
    );
  });

  it('with secrets kept, token requests posting 4 MB forms fit storage.session and are diagnosed', async () => {
    const session = quotaSession();
    const deps = { now: () => 10_000, hasHostPermission: () => false, watchedOrigins: () => [], session };
    const rec = createRecorder(deps);
    await rec.setSettings({ maxLaunches: 200, maxAgeDays: 7, keepSecrets: true });
    for (const e of withTokenForm(1000, { junk: ['j'.repeat(4 * 1024 * 1024)] })) rec.ingest(e);
    await rec.flush();
    for (const e of withTokenForm(5000, { junk: ['k'.repeat(4 * 1024 * 1024)] })) rec.ingest(e);
    const launches = await rec.list();
    expect(await rec.health()).toEqual({});
    const tokens = launches.flatMap((l) => l.steps).filter((s) => s.kind === 'token');
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of tokens) {
      expect(t.exchange.form?.grant_type).toEqual(['authorization_code']);
      expect(t.exchange.form?.junk?.[0]).toMatch(/characters cut to/);
    }
  });
});
