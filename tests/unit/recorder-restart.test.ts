import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CaptureEvent } from '../../utils/capture';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';
import { newRecorder } from '../fixtures/capture/recorder';

const SECRET = 'Qx7secretAuthorizationCode0123456789';

const localRecords = async () => JSON.stringify(await fakeBrowser.storage.local.get(null));
const sessionRecords = async () => JSON.stringify(await fakeBrowser.storage.session.get(null));

function outline(launches: Awaited<ReturnType<ReturnType<typeof newRecorder>['list']>>) {
  return launches.map((l) => ({
    status: l.status,
    steps: l.steps.map((s) => `${s.kind}:${s.exchange.phase}`),
  }));
}

describe('recorder across a worker restart', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it.each([3, 6, 9, 11])('stopped after %i events, the launch is complete afterwards', async (cut) => {
    const events = ehrLaunchEvents(1000, SECRET);
    const uninterrupted = newRecorder();
    for (const e of events) uninterrupted.ingest(e);
    const expected = outline(await uninterrupted.list());
    await uninterrupted.flush();
    fakeBrowser.reset();

    const before = newRecorder();
    for (const e of events.slice(0, cut)) before.ingest(e);
    // The worker stops at once, before any batch was compacted: only the journal holds these events.
    const after = newRecorder();
    for (const e of events.slice(cut)) after.ingest(e);
    await after.flush();
    const launches = await after.list();
    expect(outline(launches)).toEqual(expected);
    expect(launches[0]!.status).toBe('succeeded');
    expect(launches[0]!.steps.every((s) => s.exchange.phase !== 'pending')).toBe(true);
  });

  it('persists only redacted data to local storage', async () => {
    const rec = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) rec.ingest(e);
    await rec.flush();
    const stored = await localRecords();
    expect(stored).toContain('authorization_code');
    expect(stored).not.toContain(SECRET);
    expect(await sessionRecords()).not.toContain(SECRET);
  });

  it('keeps unredacted copies in session storage only when opted in', async () => {
    const rec = newRecorder();
    await rec.setSettings({ maxLaunches: 200, maxAgeDays: 7, keepSecrets: true });
    for (const e of ehrLaunchEvents(1000, SECRET)) rec.ingest(e);
    await rec.flush();
    expect(await localRecords()).not.toContain(SECRET);
    expect(await sessionRecords()).toContain(SECRET);
    expect(JSON.stringify(await rec.list())).toContain(SECRET);
    await rec.setSettings({ maxLaunches: 200, maxAgeDays: 7, keepSecrets: false });
    expect(await sessionRecords()).not.toContain(SECRET);
    expect(JSON.stringify(await rec.list())).not.toContain(SECRET);
  });

  it('drops the oldest launches beyond maxLaunches and those older than maxAgeDays', async () => {
    const day = 24 * 60 * 60_000;
    const now = 30 * day;
    const rec = newRecorder({ now: () => now });
    for (const [start, suffix] of [
      [now - 10 * day, 'old'],
      [now - 2 * day, 'a'],
      [now - day, 'b'],
      [now - 1000, 'c'],
    ] as const) {
      for (const e of ehrLaunchEvents(start, `${SECRET}${suffix}`, suffix)) rec.ingest(e);
    }
    // The 10-day-old launch is already beyond maxAgeDays (7) when the events are compacted.
    expect((await rec.list()).map((l) => l.startedAt)).toEqual([
      now - 1000 + 20,
      now - day + 20,
      now - 2 * day + 20,
    ]);
    await rec.setSettings({ maxLaunches: 2, maxAgeDays: 7, keepSecrets: false });
    const left = await rec.list();
    expect(left.map((l) => l.startedAt)).toEqual([now - 1000 + 20, now - day + 20]);
    const restarted = newRecorder({ now: () => now });
    expect((await restarted.list()).length).toBe(2);
  });

  it('clears everything', async () => {
    const rec = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) rec.ingest(e);
    expect(await rec.clear()).toEqual({ removed: 1 });
    expect(await rec.list()).toEqual([]);
    expect(await newRecorder().list()).toEqual([]);
  });
});

describe('recorder whose stored launches the browser cannot read at first', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('says so, keeps the events, and loads everything once a read succeeds', async () => {
    const first = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) first.ingest(e);
    await first.flush();
    const expected = outline(await first.list());
    // The next worker: the browser refuses the stored values (after the disk was full), then repairs them.
    const local = fakeBrowser.storage.local;
    let refusals = 4;
    const area = {
      get: (keys: null | string | string[]) =>
        keys === null && refusals-- > 0 ? Promise.reject(new Error('Invalid JSON')) : local.get(keys),
      set: (items: Record<string, unknown>) => local.set(items),
      remove: (keys: string | string[]) => local.remove(keys),
    };
    const healths: unknown[] = [];
    const rec = newRecorder({ local: area, onChange: (h) => healths.push(h) });
    await expect(rec.ready).rejects.toThrow('Invalid JSON');
    expect(await rec.health()).toMatchObject({
      writeError: { message: 'Could not read the stored launches: Invalid JSON', kind: 'load' },
    });
    // A launch in the meantime: journaled, nothing written over the stored records.
    const before = JSON.stringify(await local.get(null));
    for (const e of ehrLaunchEvents(50_000, `${SECRET}b`, 'b')) rec.ingest(e);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(JSON.stringify(await local.get(null))).toBe(before);
    // The next read works: both launches, the alert gone.
    const launches = await rec.list();
    expect(launches).toHaveLength(2);
    expect(outline(launches.slice(1))).toEqual(expected);
    expect(await rec.health()).toEqual({});
    expect(healths.at(-1)).toEqual({});
  });
});

describe('recorder: a token request whose start event the browser did not deliver', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('is no "no code_verifier" on the app: its body is unknown, and the launch says events were lost', async () => {
    // The worker stopped as the token request was sent: its answer came, its start (with the form) did not.
    const events = ehrLaunchEvents(1000, SECRET).filter(
      (e) => !(e.kind === 'request' && 'method' in e && e.method === 'POST'),
    );
    const rec = newRecorder();
    for (const e of events) rec.ingest(e);
    const [launch] = await rec.list();
    const token = launch!.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.status).toBe(200);
    expect(launch!.findings.map((f) => f.ruleId)).not.toContain('pkce');
    const lost = launch!.findings.find((f) => f.ruleId === 'events-lost')!;
    expect(lost.summary).toContain('1 step without its request body (what it sent is unknown)');
    expect(lost.evidence.map((e) => e.label)).toContain('no request body recorded');
  });
});

describe('recorder: a token request whose start and callback were both lost', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('still joins the launch of its tab (on its authorization server), not left out of every launch', async () => {
    // The worker stopped as the callback came and as the token request was sent: no callback, no form,
    // and discovery's body was never recorded (no DevTools).
    const events = ehrLaunchEvents(1000, SECRET).filter(
      (e) =>
        !(e.kind === 'request' && 'method' in e && e.method === 'POST') &&
        !(e.kind === 'redirect') &&
        !(e.kind === 'nav-committed' && e.url.includes('code=')),
    );
    const rec = newRecorder();
    for (const e of events) rec.ingest(e);
    const launches = await rec.list();
    const token = launches.flatMap((l) => l.steps).filter((s) => s.kind === 'token');
    expect(token).toHaveLength(1);
    expect(launches).toHaveLength(1);
    expect(launches[0]!.findings.map((f) => f.ruleId)).toContain('events-lost');
  });
});

describe('recorder: a token request refused without any client credentials', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  /** The launch with its token request answered 401, its request headers seen (`auth`: Authorization). */
  function refused(auth?: string) {
    // Its verifier and challenge a pair, as the app sends them (the fixture's challenge is a placeholder).
    const challenge = createHash('sha256').update(`${SECRET}-verifier`).digest('base64url');
    const events = ehrLaunchEvents(1000, SECRET)
      .map((e) =>
        'url' in e && e.url.includes('code_challenge=abc')
          ? { ...e, url: e.url.replace('code_challenge=abc', `code_challenge=${challenge}`) }
          : e,
      )
      .map((e) =>
        'method' in e && e.method === 'POST' && (e.kind === 'headers' || e.kind === 'completed')
          ? {
              ...e,
              statusCode: 401,
              ...(e.kind === 'headers'
                ? {
                    statusLine: 'HTTP/1.1 401 Unauthorized',
                    responseHeaders: [
                      { name: 'WWW-Authenticate', value: 'Basic realm="authorization.cerner.com"' },
                    ],
                  }
                : {}),
            }
          : e,
      );
    const at = events.findIndex((e) => e.kind === 'request' && 'method' in e && e.method === 'POST');
    const request = events[at] as Extract<CaptureEvent, { kind: 'request' }>;
    events.splice(at + 1, 0, {
      kind: 'send-headers',
      requestId: request.requestId,
      url: request.url,
      tabId: request.tabId,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'POST',
      timeStamp: request.timeStamp + 1,
      requestHeaders: auth ? [{ name: 'Authorization', value: auth }] : [],
    } as CaptureEvent);
    const rec = newRecorder();
    for (const e of events) rec.ingest(e);
    return rec.list();
  }

  it('says no client authentication was sent, and a confidential secret belongs on a backend', async () => {
    const [launch] = await refused();
    expect(launch!.status).toBe('failed');
    expect(launch!.findings[0]).toMatchObject({ title: 'No client authentication sent' });
    expect(launch!.findings[0]!.summary).toContain(
      'carried no client credentials: no Authorization header, no client_secret or client_assertion in its form',
    );
    expect(launch!.findings[0]!.summary).toContain(
      'WWW-Authenticate: Basic realm="authorization.cerner.com"',
    );
  });

  it('with Basic credentials sent, it is not said', async () => {
    const [launch] = await refused('Basic ZGVtbzpzM2NyZXQ=');
    expect(launch!.findings.map((f) => f.title)).not.toContain('No client authentication sent');
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain('ZGVtbzpzM2NyZXQ');
  });
});
