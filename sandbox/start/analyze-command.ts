/**
 * `smart-launch-debugger analyze <file.har> [--json]`: the extension's analysis engine on a HAR saved from
 * Chrome DevTools. Exit code 1 when a launch failed, 0 otherwise, 2 for usage or input errors and for a
 * file the analysis itself failed on.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeHarText } from '../../utils/cli/analyze-har';
import { formatReport } from '../../utils/cli/report';
import { errorMessage } from '../../utils/errors';
import { HarImportError, MAX_HAR_CHARS } from '../../utils/har/import';
import { harTextFromZip, isZip } from '../../utils/har/zip';
import { redactProse } from '../../utils/redact/text';

export const ANALYZE_USAGE = 'Usage: smart-launch-debugger analyze <file.har> [--json]';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

class InputError extends Error {}

/** Reads the file, refusing what is not a readable regular file or is too large before loading it. */
function readHar(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(`${path} is a folder, not a HAR file.`);
    size = stat.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${path}: no such file.` : `Cannot read ${path} (${code ?? String(e)}).`,
    );
  }
  // A character takes at least one byte, so a larger file cannot fit; refuse it without reading it.
  if (size > MAX_HAR_CHARS)
    throw new InputError(
      `${path} is larger than ${MAX_HAR_CHARS / 1024 / 1024} MB; save a shorter recording.`,
    );
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`Cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  // Playwright's recordHar to a .zip path: the HAR and its bodies, read back as one HAR.
  return isZip(bytes) ? harTextFromZip(bytes, basename(path)) : new TextDecoder().decode(bytes);
}

export function runAnalyze(argv: string[], io: Output): number {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { json: { type: 'boolean' } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true });
  } catch (e) {
    io.err(`${(e as Error).message}\n${ANALYZE_USAGE}`);
    return 2;
  }
  const files = parsed.positionals;
  if (files.length !== 1) {
    io.err(
      files.length === 0
        ? `No HAR file given.\n${ANALYZE_USAGE}`
        : `One HAR file at a time.\n${ANALYZE_USAGE}`,
    );
    return 2;
  }
  const path = files[0]!;
  try {
    const summary = analyzeHarText(readHar(path), basename(path));
    io.out(parsed.values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatReport(summary));
    return summary.exitCode;
  } catch (e) {
    if (e instanceof InputError || e instanceof HarImportError) {
      io.err(e.message);
      return 2;
    }
    // A fault of the analysis itself: one line, and not exit 1, which a CI job reads as a failed launch.
    // The error's own message may quote what it choked on (a URL, a token): redacted, one line, bounded.
    io.err(
      `${basename(path)} could not be analyzed: ${faultMessage(e)} (an internal error of smart-launch-debugger; please report it with the file, redacted).`,
    );
    return 2;
  }
}

const MAX_FAULT_CHARS = 300;

/** An internal error's message for the one line the CLI prints: redacted, on one line, at most 300 characters. */
function faultMessage(e: unknown): string {
  const line = redactProse(errorMessage(e)).replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > MAX_FAULT_CHARS ? `${line.slice(0, MAX_FAULT_CHARS)}…` : line;
}
