import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '../../utils/serial-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serial queue', () => {
  it('runs tasks one after another, in order, even when they take different times', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = Promise.allSettled([
      queue.run(task('slow', 30)),
      queue.run(async () => {
        throw new Error('disk full');
      }),
      queue.run(task('fast', 1)),
    ]);
    await queue.idle();
    expect(log).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
    const settled = await results;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 'fast' });
  });

  it('a read-modify-write in the queue loses no update', async () => {
    const queue = createSerialQueue();
    let stored: number[] = [];
    const read = async () => {
      await sleep(0);
      return stored;
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queue.run(async () => {
          const list = await read();
          await sleep(Math.random() * 3);
          stored = [...list, i];
        }),
      ),
    );
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
