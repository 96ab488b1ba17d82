/**
 * Commands of `smart-launch-debugger` (bin/smart-launch-debugger.mjs): analyze a HAR, start the sandbox with
 * a browser (`npm start`), or run the guided demo (`npm run demo`). Returns the exit code.
 */
import { ANALYZE_USAGE, runAnalyze } from './analyze-command';

const USAGE = `smart-launch-debugger — see why a SMART on FHIR launch against Oracle Health fails

  smart-launch-debugger analyze <file.har> [--json]   analyze a HAR saved from Chrome DevTools
  smart-launch-debugger start [--port 8443] [--build]  sandbox + browser with the extension (npm start)
  smart-launch-debugger demo                           guided headless demo of the forceAuthn fix (npm run demo)

Exit codes: analyze → 1 when a launch failed, 0 otherwise; 2 for usage or input errors.`;

const io = {
  out: (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'analyze':
      return runAnalyze(rest, io);
    case 'start':
      return (await import('./start-command')).runStart(rest, io);
    case 'demo':
      return (await import('./demo-command')).runDemoCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(
        `Unknown command ${command}.\n${ANALYZE_USAGE}\nRun smart-launch-debugger --help for all commands.`,
      );
      return 2;
  }
}
