/** Named, timed stages of the guided demo: a failure names the stage it happened in. */

export class StageError extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`stage "${stage}": ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`);
  }
}

/** The user pressed Ctrl-C: the stage running then stops, the ones after it do not start. */
export class Interrupted extends Error {
  constructor() {
    super('stopped by Ctrl-C');
  }
}

export interface StageTiming {
  stage: string;
  ms: number;
}

export function createStages(log: (line: string) => void, interrupted: () => boolean = () => false) {
  const timings: StageTiming[] = [];
  let index = 0;
  return {
    timings,
    async run<T>(stage: string, fn: () => Promise<T>): Promise<T> {
      index++;
      log(`[${index}] ${stage} …`);
      const started = Date.now();
      try {
        if (interrupted()) throw new Interrupted();
        const value = await fn();
        if (interrupted()) throw new Interrupted();
        timings.push({ stage, ms: Date.now() - started });
        return value;
      } catch (e) {
        throw new StageError(stage, interrupted() ? new Interrupted() : e);
      }
    },
  };
}
