/**
 * Runs async tasks one after another, so a later task never races an earlier one (storage writes,
 * read-diff-write sequences). A failed task rejects its own promise only; the queue carries on.
 */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const result = tail.then(task, task);
      tail = result.catch(() => undefined);
      return result;
    },
    /** Resolves once every task queued so far has settled. */
    idle: (): Promise<void> => tail.then(() => undefined),
  };
}

export type SerialQueue = ReturnType<typeof createSerialQueue>;
