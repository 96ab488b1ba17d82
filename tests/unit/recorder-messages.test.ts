import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { LaunchSummary } from '../../utils/launch/summary';
import { applySummaryChanges } from '../../utils/launch/summary-changes';
import { createDispatcher } from '../../utils/messages/dispatch';
import { type LaunchesChanged, launchMessages, type SummaryChanges } from '../../utils/messages/launches';

const har = (name: string) => readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');

async function freshDispatcher() {
  // A fresh module graph = a freshly started worker.
  vi.resetModules();
  const { createLaunchHandlers } = await import('../../entrypoints/background/launches');
  const dispatch = createDispatcher(launchMessages, createLaunchHandlers(), { isTrusted: () => true });
  return (type: string, payload: unknown = {}) => dispatch({ type, payload }, {});
}

describe('launch messages', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    fakeBrowser.permissions.getAll = async () => ({ origins: ['https://*.cerner.com/*'], permissions: [] });
  });

  it('imports a Chrome HAR beside live launches and survives a restart', async () => {
    const send = await freshDispatcher();
    const r0 = await send('launches/import-har', {
      fileName: 'fail.har',
      text: har('chrome-forceauthn-400.har'),
    });
    expect(r0).toEqual({
      ok: true,
      value: { imported: 1 },
    });
    const listed = await send('launches/list');
    expect(listed.ok && (listed.value as { imported?: { fileName: string } }[])[0]?.imported?.fileName).toBe(
      'fail.har',
    );
    const again = await (await freshDispatcher())('launches/list');
    expect(again.ok && (again.value as unknown[]).length).toBe(1);
  });

  it('the same file imported again (a retry after a lost answer) replaces its earlier import', async () => {
    const send = await freshDispatcher();
    const text = har('chrome-forceauthn-400.har');
    expect(await send('launches/import-har', { fileName: 'fail.har', text })).toEqual({
      ok: true,
      value: { imported: 1 },
    });
    expect(await send('launches/import-har', { fileName: 'fail.har', text })).toEqual({
      ok: true,
      value: { imported: 1, replaced: true },
    });
    const listed = await send('launches/list');
    expect(listed.ok && (listed.value as unknown[]).length).toBe(1);
    // Another file of the same name, or the same file under another name, is another import.
    await send('launches/import-har', { fileName: 'fail.har', text: har('chrome-success.har') });
    await send('launches/import-har', { fileName: 'copy.har', text });
    const all = await send('launches/list');
    expect(all.ok && (all.value as unknown[]).length).toBe(3);
  });

  it('past 20 imported files, says which oldest file it removed', async () => {
    const send = await freshDispatcher();
    const text = har('chrome-success.har');
    for (let i = 1; i <= 20; i++) {
      const reply = await send('launches/import-har', { fileName: `f${i}.har`, text });
      expect(reply).toEqual({ ok: true, value: { imported: 1 } });
    }
    const reply = await send('launches/import-har', { fileName: 'f21.har', text });
    expect(reply).toEqual({ ok: true, value: { imported: 1, dropped: ['f1.har'], keptFiles: 20 } });
    const listed = await send('launches/list');
    const files = listed.ok
      ? (listed.value as { imported?: { fileName: string } }[]).map((l) => l.imported?.fileName)
      : [];
    expect(files).toHaveLength(20);
    expect(files).not.toContain('f1.har');
    expect(files).toContain('f21.har');
  });

  it.each([
    ['{"log":', /not valid JSON/],
    ['{"hello":"world"}', /not a HAR file/],
    [
      '{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-12-04T09:00:00Z","request":{"method":"GET","url":"https://news.example/","headers":[]},"response":{"status":200,"headers":[]}}]}}',
      /no SMART launch/,
    ],
  ])('refuses a broken or foreign file (%#) and leaves the log untouched', async (text, message) => {
    const send = await freshDispatcher();
    await send('launches/import-har', { fileName: 'ok.har', text: har('chrome-success.har') });
    const reply = await send('launches/import-har', { fileName: 'bad.har', text });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.message).toMatch(message);
    const listed = await send('launches/list');
    expect(listed.ok && (listed.value as unknown[]).length).toBe(1);
  });

  it('validates settings and devtools payloads', async () => {
    const send = await freshDispatcher();
    const bad = await send('recorder/settings/set', { maxLaunches: 0, maxAgeDays: 7, keepSecrets: false });
    expect(!bad.ok && bad.error.code).toBe('invalid-payload');
    const good = await send('recorder/settings/set', { maxLaunches: 50, maxAgeDays: 3, keepSecrets: false });
    expect(good).toEqual({ ok: true, value: { maxLaunches: 50, maxAgeDays: 3, keepSecrets: false } });
    expect((await send('recorder/settings/get')).ok && (await send('recorder/settings/get'))).toMatchObject({
      value: { maxLaunches: 50 },
    });
    const hostile = await send('devtools/response', { tabId: 'x', url: 1 });
    expect(!hostile.ok && hostile.error.code).toBe('invalid-payload');
  });

  it('get and clear', async () => {
    const send = await freshDispatcher();
    await send('launches/import-har', { fileName: 'ok.har', text: har('chrome-success.har') });
    const listed = await send('launches/list');
    const id = listed.ok ? (listed.value as { id: string }[])[0]!.id : '';
    expect(await send('launches/get', { id })).toMatchObject({ ok: true, value: { id } });
    expect(await send('launches/get', { id: 'nope' })).toEqual({ ok: true, value: null });
    expect(await send('launches/clear')).toEqual({ ok: true, value: { removed: 1 } });
    expect(await send('launches/list')).toEqual({ ok: true, value: [] });
  });

  it('sends what changed with each notice while a page follows, and stops once no page listens', async () => {
    const notices: LaunchesChanged[] = [];
    let listening = true;
    fakeBrowser.runtime.sendMessage = (async (message: LaunchesChanged) => {
      notices.push(message);
      if (!listening) throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as typeof fakeBrowser.runtime.sendMessage;
    const send = await freshDispatcher();
    const told = async () => {
      await vi.waitFor(() => expect(notices.length).toBeGreaterThan(0));
      // The notices of one change (its events, then the stored records) have all gone out.
      await new Promise((resolve) => setTimeout(resolve, 400));
      return notices.splice(0);
    };
    const changes = async () => {
      const reply = await send('launches/changes');
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.value as SummaryChanges;
    };

    // No page has read: the notices carry nothing, and cost no analysis.
    await send('launches/import-har', { fileName: 'ok.har', text: har('chrome-success.har') });
    expect((await told()).filter((n) => n.changes)).toEqual([]);

    // A page reads, and follows from then on.
    const held = await changes();
    await send('launches/import-har', { fileName: 'fail.har', text: har('chrome-forceauthn-400.har') });
    const pushed = (await told()).map((n) => n.changes);
    expect(pushed.length).toBeGreaterThan(0);
    expect(pushed[0]).toMatchObject({ epoch: held.epoch, from: held.version, full: false });
    // Applied in turn, the pushed changes give what reading every summary gives.
    let list: readonly LaunchSummary[] = held.upserted;
    for (const c of pushed) list = applySummaryChanges(list, c!);
    const all = await changes();
    expect(list).toEqual(all.upserted);
    expect(list).toHaveLength(2);

    // The page closed: the next notice finds no one, and later ones carry nothing again.
    listening = false;
    await send('launches/clear');
    expect((await told())[0]!.changes).toMatchObject({
      removed: expect.arrayContaining(all.upserted.map((s) => s.id)),
    });
    listening = true;
    await send('launches/import-har', { fileName: 'ok.har', text: har('chrome-success.har') });
    expect((await told()).filter((n) => n.changes)).toEqual([]);
  });
});
