/**
 * Plain-text report of analyzed launches for a terminal or a CI log (no colours, no terminal codes, so
 * it reads the same in a file). Used by `smart-launch-debugger analyze` and the guided demo.
 */
import { durationText, offsetText } from '../launch/duration';
import { decodeComponent } from '../url/percent';
import type { AnalysisSummary, FindingSummary, LaunchSummary, StepSummary } from './summary';

const STATUS_WORDS: Record<LaunchSummary['status'], string> = {
  failed: 'FAILED',
  succeeded: 'SUCCEEDED',
  authorized: 'AUTHORIZED (token exchange not visible)',
  cancelled: 'CANCELLED',
  abandoned: 'ABANDONED',
  'in-progress': 'IN PROGRESS',
};

/** An offset in the timeline's column: ms, else seconds, past a minute a clock, so that the columns line up. */
function formatOffset(ms: number): string {
  return Math.round(ms) < 1000 ? `${Math.round(ms)} ms` : offsetText(ms, 1).slice(1);
}

export function formatMs(ms: number): string {
  return durationText(ms);
}

/**
 * A path as a reader reads it: `errors/urn:cerner:…`, not `errors/urn%3Acerner%3A…`. Left encoded when
 * it does not decode, or decodes to control characters (a line break, a terminal escape) or to what
 * would read as a query (`?`, `#`: queries are never printed).
 */
function readablePath(where: string): string {
  if (!where.includes('%')) return where;
  const decoded = decodeComponent(where, false);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  return decoded.warning || /[\u0000-\u001f\u007f-\u009f?#]/.test(decoded.value) ? where : decoded.value;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const UUID = /\b([0-9a-f]{4})[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** Tenant ids fill half a line; their first characters are enough to tell them apart here. */
function shortIds(text: string): string {
  return text.replace(UUID, '$1…');
}

function stepLine(s: StepSummary): string {
  const mark = s.failed ? '✗' : ' ';
  const took = s.durationMs !== undefined ? ` (${formatMs(s.durationMs)})` : '';
  const rewritten = s.rewrittenByExtension ? '  [rewritten by extension]' : '';
  return `  ${mark} ${String(s.n).padStart(2)}. +${formatOffset(s.offsetMs).padEnd(9)} ${s.method.padEnd(4)} ${clip(s.status, 24).padEnd(4)} ${clip(s.label, 40)} — ${clip(shortIds(readablePath(s.where)), 70)}${took}${rewritten}`;
}

function findingLines(f: FindingSummary): string[] {
  const lines = [`  [${f.severity}] ${f.title}`, `      ${f.summary}`];
  for (const e of f.evidence) {
    const at = e.step !== undefined ? ` (step ${e.step})` : '';
    lines.push(`      · ${e.label}${at}: ${clip(String(e.value).replace(/\s+/g, ' '), 160)}`);
  }
  for (const fix of f.fixes) lines.push(`      fix: ${fix.label}`);
  return lines;
}

export function formatLaunch(l: LaunchSummary, index: number, total: number): string[] {
  const failedStep = l.steps.find((s) => s.n === l.failedAtStep);
  const where =
    failedStep && (l.status === 'failed' || l.status === 'cancelled')
      ? ` at step ${failedStep.n} ${failedStep.label} (${failedStep.status})`
      : '';
  const facts = [
    l.clientId && `client ${l.clientId}`,
    l.persona && `persona ${l.persona}`,
    l.iss && `iss ${l.iss}`,
    `started ${l.startedAt}`,
    l.durationMs !== undefined && `took ${formatMs(l.durationMs)}`,
  ].filter(Boolean);
  const lines = [
    `Launch ${index + 1} of ${total}: ${STATUS_WORDS[l.status]}${where}`,
    `  ${facts.join(' · ')}`,
  ];
  if (l.statusReason) lines.push(`  Why: ${l.statusReason}`);
  lines.push(`  Steps (${l.steps.length}):`, ...l.steps.map(stepLine));
  if (l.findings.length) {
    lines.push(`  Findings (${l.findings.length}):`);
    for (const f of l.findings) lines.push(...findingLines(f).map((line) => `  ${line}`));
  } else lines.push('  Findings: none');
  return lines;
}

export function formatReport(summary: AnalysisSummary): string {
  const total = summary.launches.length;
  if (total === 0)
    return `${summary.file}: no SMART launch found (no request to an authorization server, FHIR server or SMART app).\n`;
  const counts = Object.entries(summary.counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const lines = [`${summary.file}: ${total} launch${total === 1 ? '' : 'es'} (${counts})`];
  if (summary.skippedEntries) lines.push(`Note: ${summary.skippedEntries}.`);
  lines.push('');
  summary.launches.forEach((l, i) => {
    lines.push(...formatLaunch(l, i, total), '');
  });
  return lines.map(printable).join('\n');
}

/**
 * A line with the control characters a server or file put in its words (an escape that would clear a
 * terminal, a line break inside a label) written out as `\u001b`: the report holds no terminal codes.
 */
function printable(line: string): string {
  return line.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced here
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
