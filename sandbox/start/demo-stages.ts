/** Named, timed stages of the guided demo: a failure names the stage it happened in. */

export class StageError extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`stage "${stage}": ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`);
  }
}

export interface StageTiming {
  stage: string;
  ms: number;
}

export function createStages(log: (line: string) => void) {
  const timings: StageTiming[] = [];
  let index = 0;
  return {
    timings,
    async run<T>(stage: string, fn: () => Promise<T>): Promise<T> {
      index++;
      log(`[${index}] ${stage} …`);
      const started = Date.now();
      try {
        const value = await fn();
        timings.push({ stage, ms: Date.now() - started });
        return value;
      } catch (e) {
        throw new StageError(stage, e);
      }
    },
  };
}
