import { benchLogRender } from './log-render';

/** `npm run bench`: runs every benchmark in turn and prints its figures. */
const benches: [string, () => Promise<void>][] = [['log-render', benchLogRender]];

for (const [name, bench] of benches) {
  try {
    await bench();
  } catch (error) {
    console.error(`${name} failed:`, error);
    process.exitCode = 1;
  }
}
