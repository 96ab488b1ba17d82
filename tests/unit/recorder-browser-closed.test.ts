import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RECORDING_ENDS_KEY } from '../../entrypoints/background/recorder';
import { ehrLaunchEvents } from '../fixtures/capture/ehr-launch-events';
import { newRecorder } from '../fixtures/capture/recorder';

const SECRET = 'Qx7secretAuthorizationCode0123456789';

/** The browser closes: storage.session (the journal, the session tag) is gone, storage.local stays. */
const closeBrowser = () => fakeBrowser.storage.session.clear();

describe('recorder across a browser restart', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('a launch cut off by the browser closing is abandoned at once, saying so; the end is kept until the log is cleared', async () => {
    const events = ehrLaunchEvents(1000, SECRET);
    const before = newRecorder();
    // Up to the authorize request, not yet answered: the user is on the sign-in page.
    for (const e of events.slice(0, 6)) before.ingest(e);
    await before.flush();
    expect((await before.list())[0]!.status).toBe('in-progress');
    await closeBrowser();

    const after = newRecorder();
    const [launch] = await after.list();
    expect(launch!.status).toBe('abandoned');
    expect(launch!.statusReason).toMatch(/^The browser closed right after authorize/);
    const stored = (await fakeBrowser.storage.local.get(RECORDING_ENDS_KEY))[RECORDING_ENDS_KEY];
    expect(stored).toEqual([launch!.endedAt]);

    // A worker restart in the same browser session adds no end.
    const again = newRecorder();
    await again.list();
    expect((await fakeBrowser.storage.local.get(RECORDING_ENDS_KEY))[RECORDING_ENDS_KEY]).toEqual(stored);

    await again.clear();
    expect(await fakeBrowser.storage.local.get(RECORDING_ENDS_KEY)).toEqual({});
  });

  it('a launch that completed before the browser closed keeps its status', async () => {
    const rec = newRecorder();
    for (const e of ehrLaunchEvents(1000, SECRET)) rec.ingest(e);
    await rec.flush();
    await closeBrowser();
    const [launch] = await newRecorder().list();
    expect(launch!.status).toBe('succeeded');
  });

  it('a browser started with an empty log records no end', async () => {
    await newRecorder().list();
    await closeBrowser();
    await newRecorder().list();
    expect(await fakeBrowser.storage.local.get(RECORDING_ENDS_KEY)).toEqual({});
  });
});
