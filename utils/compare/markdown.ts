import type { Launch } from '../model';
import { redactLaunch, redactText, redactValue } from '../redact';
import { type CompareOptions, compareLaunches } from './compare';
import { withEquivalent } from './scopes';
import type { StepCell } from './steps';
import { cap } from './text';

/** Scopes listed per side before "… and N more". */
const MAX_SCOPES_LISTED = 25;

/** Every value passes the same safety net as finding evidence (utils/redact): masks stay masks. */
const safe = (text: string) => redactValue(redactText(text), 1);
/** Sentences quote values in backticks (already redacted by text.ts `code`); the prose around them is scanned. */
const safeSentence = (text: string) =>
  text
    .split('`')
    .map((part, i) => (i % 2 ? part : safe(part)))
    .join('`');
const cell = (text: string) => safe(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 160);

function stepCell(c: StepCell | undefined): string {
  if (!c) return '—';
  const mark = c.failedHere ? ' ✗ failed here' : c.failed ? ' ✗' : '';
  return `${c.count > 1 ? `${c.count}× ` : ''}${c.statuses.join(', ')}${mark}`;
}

function scopeLine(title: string, scopes: string[]): string[] {
  if (!scopes.length) return [];
  const shown = scopes.slice(0, MAX_SCOPES_LISTED).map((s) => `\`${safe(s)}\``);
  const more = scopes.length > MAX_SCOPES_LISTED ? ` … and ${scopes.length - MAX_SCOPES_LISTED} more` : '';
  return [`- ${title} (${scopes.length}): ${shown.join(' ')}${more}`];
}

/**
 * The comparison as Markdown for a support ticket: differences first (with fixes), then steps, facts
 * and scope differences side by side. Both launches are redacted again first, like the support
 * snippet (utils/har/snippet.ts): never a code, token or secret; values already masked stay masked.
 */
export function comparisonMarkdown(a: Launch, b: Launch, opts: CompareOptions = {}): string {
  const c = compareLaunches(redactLaunch(a), redactLaunch(b), opts);
  const { labels } = c;
  const A = cap(labels.a);
  const B = cap(labels.b);
  const lines = ['### SMART launch comparison', '', safeSentence(c.headline), ''];
  lines.push(
    `${A}: client \`${cell(a.clientId ?? 'unknown')}\`, started ${new Date(a.startedAt).toISOString()}. ` +
      `${B}: client \`${cell(b.clientId ?? 'unknown')}\`, started ${new Date(b.startedAt).toISOString()}.`,
    '',
  );
  if (!c.differences.length) lines.push('**No differences found.**');
  else {
    lines.push('**Differences, most likely cause first**', '');
    c.differences.forEach((d, i) => {
      const tag = d.expected ? ' _(expected between different apps)_' : '';
      lines.push(`${i + 1}. ${safeSentence(d.text)}${tag}`);
      if (d.finding) lines.push(`   - Finding (${d.finding.severity}): ${safe(d.finding.title)}`);
      for (const f of d.fixes) lines.push(`   - Fix: ${safe(f.label)}`);
    });
  }
  lines.push('', '**Steps**', '', `| Step | ${A} | ${B} |`, '|---|---|---|');
  for (const r of c.steps) lines.push(`| ${r.kind} | ${cell(stepCell(r.a))} | ${cell(stepCell(r.b))} |`);
  for (const s of c.sections) {
    lines.push('', `**${s.title}**`, '', `| | ${A} | ${B} |`, '|---|---|---|');
    for (const r of s.rows)
      lines.push(`| ${r.differs ? `**${cell(r.label)}** ≠` : cell(r.label)} | ${cell(r.a)} | ${cell(r.b)} |`);
  }
  const sc = c.scopes;
  const scopeLines = [
    ...scopeLine(`Only ${labels.a}`, sc.onlyA.map(withEquivalent)),
    ...scopeLine(`Only ${labels.b}`, sc.onlyB.map(withEquivalent)),
    ...scopeLine(
      'Same permission, spelt differently',
      sc.respelt.map((p) => `${p.a.raw} ≈ ${p.b.raw}`),
    ),
  ];
  if (scopeLines.length) lines.push('', '**Requested scopes**', '', ...scopeLines);
  lines.push('', '_Codes, tokens and secrets are redacted._');
  return lines.join('\n');
}
