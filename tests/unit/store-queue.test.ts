import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createWriteQueue, importsItem, settingsItem, stateItem } from '../../entrypoints/background/store';
import { DEFAULT_SETTINGS } from '../../utils/capture';

describe('store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('runs writes one after another, in order, even when they take different times', async () => {
    const errors: unknown[] = [];
    const queue = createWriteQueue((e) => errors.push(e));
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          log.push(name);
          resolve();
        }, ms),
      );
    void queue.enqueue(task('slow', 30));
    void queue.enqueue(async () => {
      throw new Error('disk full');
    });
    void queue.enqueue(task('fast', 1));
    await queue.idle();
    expect(log).toEqual(['slow', 'fast']);
    expect(errors).toHaveLength(1);
  });

  it('serialised read-modify-write loses no update', async () => {
    const queue = createWriteQueue(() => {});
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queue.enqueue(async () => {
          const files = await importsItem.getValue();
          await importsItem.setValue([...files, { fileName: `f${i}`, importedAt: i, exchanges: [] }]);
        }),
      ),
    );
    expect((await importsItem.getValue()).map((f) => f.fileName)).toEqual(
      Array.from({ length: 20 }, (_, i) => `f${i}`),
    );
  });

  it('items fall back to defaults and persist under their keys', async () => {
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
    expect(await stateItem.getValue()).toEqual({ exchanges: {}, requests: {}, openers: {}, navStarts: {} });
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, maxLaunches: 5 });
    const raw = await fakeBrowser.storage.local.get(null);
    expect(raw['recorder.settings']).toEqual({ ...DEFAULT_SETTINGS, maxLaunches: 5 });
  });
});
