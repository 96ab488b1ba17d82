/** `npm run demo`: runs the guided demo and prints its report; exit code 1 names the stage that failed. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatLaunch, formatMs } from '../../utils/cli/report';
import type { Output } from './analyze-command';
import { type DemoResult, runDemo } from './demo';
import { Interrupted, StageError } from './demo-stages';

const DEFAULT_OUT = fileURLToPath(new URL('../../.demo', import.meta.url));

export function formatDemoReport(result: DemoResult): string {
  const lines = ['', '=== Guided demo: report ===', ''];
  result.launches.forEach((l, i) => {
    lines.push(...formatLaunch(l, i, result.launches.length), '');
  });
  const rewritten = result.launches.at(-1)?.steps.filter((s) => s.rewrittenByExtension).length ?? 0;
  lines.push(
    'What was fixed:',
    result.fix === 'relaunched'
      ? '  "Strip forceAuthn and relaunch" in the popup turned the strip rule on and relaunched.'
      : '  "Strip forceAuthn" switched on in the popup, then the companion was launched again.',
    `  Last launch: ${result.launches.at(-1)?.status ?? 'missing'}; ${rewritten} request${rewritten === 1 ? '' : 's'} rewritten by the extension.`,
    ...(result.companionWatched
      ? []
      : [
          "  The extension was loaded over the DevTools protocol, so it could not be granted the companion's origin:",
          '  its token exchange is not visible, so launches that reached the app stay "in progress" in the extension.',
        ]),
    '',
    'Timings:',
    ...result.timings.map((t) => `  ${formatMs(t.ms).padStart(8)}  ${t.stage}`),
    '',
    `Screenshots (${result.screenshots.length}):`,
    ...result.screenshots.map((p) => `  ${p}`),
  );
  return lines.join('\n');
}

export async function runDemoCommand(argv: string[], io: Output): Promise<number> {
  let values: { out?: string; build?: boolean; 'load-via-devtools'?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        build: { type: 'boolean' },
        'load-via-devtools': { type: 'boolean' },
      },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\nUsage: npm run demo -- [--out .demo] [--build] [--load-via-devtools]`);
    return 2;
  }
  const outDir = values.out ? resolve(values.out) : DEFAULT_OUT;
  io.out('Guided demo: the forceAuthn 400 on Oracle Health, reproduced against the local sandbox and fixed.');
  try {
    const result = await runDemo({
      outDir,
      build: values.build ?? false,
      viaDevtools: values['load-via-devtools'] ?? false,
      log: io.out,
    });
    io.out(formatDemoReport(result));
    return 0;
  } catch (e) {
    if (e instanceof StageError && e.cause instanceof Interrupted) {
      io.err(`Demo stopped during stage "${e.stage}".`);
      return 130;
    }
    if (e instanceof StageError) {
      io.err(`\nDemo failed at ${e.message}`);
      const detail = e.cause instanceof Error ? e.cause.message.split('\n').slice(1, 6).join('\n') : '';
      if (detail.trim()) io.err(detail);
      io.err(screenshotsLine(outDir));
      return 1;
    }
    throw e;
  }
}

/** Where the screenshots of a failed demo are, as far as it took any (none when it failed before the browser ran). */
export function screenshotsLine(outDir: string): string {
  const shots = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.png')) : [];
  if (shots.length === 0) return 'No screenshots were taken: the demo stopped before a page was shown.';
  const failure = existsSync(join(outDir, 'failure.png'))
    ? ', and failure.png shows the page at the failure'
    : '';
  return `Screenshots so far are in ${outDir}${failure}.`;
}
