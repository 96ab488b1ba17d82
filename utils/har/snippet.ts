import type { Launch, LaunchStatus, Step } from '../model';
import { redactLaunch, redactText } from '../redact';
import { decodeComponent } from '../url/percent';
import { splitUrl } from '../url/split';

const URN = /urn:cerner:error:[A-Za-z0-9:._-]+/g;
const MAX_STEPS = 40;

/** The snippet's headline for each status (failed names its step instead). */
const HEADLINE: Record<Exclude<LaunchStatus, 'failed'>, string> = {
  succeeded: 'succeeded',
  authorized: 'authorized (token exchange not visible)',
  cancelled: 'cancelled by the user',
  abandoned: 'abandoned',
  'in-progress': 'in progress',
};

function errorUrns(launch: Launch): string[] {
  const texts: string[] = [];
  for (const s of launch.steps) {
    const ex = s.exchange;
    texts.push(ex.url, ex.location ?? '', ex.body?.text ?? '', ...Object.values(ex.responseHeaders));
  }
  for (const f of launch.findings) texts.push(...f.evidence.map((e) => e.value));
  const found = new Set<string>();
  for (const t of texts) {
    // URNs appear percent-encoded in error page paths and error_uri values, sometimes twice.
    const decoded = decodeComponent(decodeComponent(t, false).value, false).value;
    for (const m of decoded.matchAll(URN)) found.add(m[0].replace(/[.:]+$/, ''));
  }
  return [...found];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 120);
}

function stepRow(s: Step, i: number): string {
  const ex = s.exchange;
  const { host, path } = splitUrl(ex.url);
  const status = ex.error ? ex.error : ex.status !== undefined ? String(ex.status) : ex.phase;
  const marks = [ex.rewrittenFrom ? 'rewritten by extension' : '', ex.partial ? 'partly invisible' : '']
    .filter(Boolean)
    .join(', ');
  const corr = ex.responseHeaders['cerner-correlation-id'] ?? '';
  return `| ${i + 1} | ${cell(s.label || s.kind)} | ${ex.method} | ${cell(host + path)} | ${cell(status)}${s.failed ? ' ✗' : ''} | ${cell(corr)} | ${cell(marks)} |`;
}

/**
 * A short Markdown summary of a launch for a support ticket or a chat: steps with statuses,
 * findings, Cerner-Correlation-Id values and error URNs. Always redacted; query strings are left out.
 */
export function supportSnippet(launch: Launch): string {
  const safe = redactLaunch(launch);
  const failedStep = safe.steps.find((s) => s.exchange.id === safe.failedAt);
  const title =
    safe.status === 'failed'
      ? `failed at ${failedStep?.label ?? 'an unknown step'}${failedStep?.exchange.status ? ` (HTTP ${failedStep.exchange.status})` : ''}`
      : HEADLINE[safe.status];
  const duration =
    safe.endedAt !== undefined ? ` · duration ${((safe.endedAt - safe.startedAt) / 1000).toFixed(1)} s` : '';
  const facts = [
    safe.clientId && `client \`${safe.clientId}\``,
    safe.iss && `iss \`${safe.iss}\``,
    safe.persona && `persona ${safe.persona}`,
    safe.tenant && `tenant \`${safe.tenant}\``,
  ].filter(Boolean);
  const lines = [
    `### SMART launch ${title}`,
    '',
    `Started ${new Date(safe.startedAt).toISOString()}${duration}${safe.imported ? ` · imported from ${safe.imported.fileName}` : ''}`,
  ];
  if (safe.statusReason) lines.push('', `**Status:** ${safe.status} — ${redactText(safe.statusReason)}`);
  if (facts.length) lines.push('', facts.join(' · '));
  lines.push(
    '',
    '| # | Step | Method | Host/path | Status | Cerner-Correlation-Id | Note |',
    '|---|---|---|---|---|---|---|',
  );
  lines.push(...safe.steps.slice(0, MAX_STEPS).map(stepRow));
  if (safe.steps.length > MAX_STEPS)
    lines.push(`| … | ${safe.steps.length - MAX_STEPS} more steps | | | | | |`);
  if (safe.findings.length) {
    lines.push('', '**Findings**', '');
    for (const f of safe.findings)
      lines.push(`- **${f.severity}** ${f.title}: ${f.summary.replace(/\s+/g, ' ')}`);
  }
  const ids = [
    ...new Set(safe.steps.map((s) => s.exchange.responseHeaders['cerner-correlation-id']).filter(Boolean)),
  ];
  if (ids.length) lines.push('', `**Cerner-Correlation-Id:** ${ids.map((id) => `\`${id}\``).join(', ')}`);
  const urns = errorUrns(safe);
  if (urns.length) lines.push('', `**Error URNs:** ${urns.map((u) => `\`${u}\``).join(', ')}`);
  lines.push('', '_Codes, tokens and secrets are redacted._');
  return lines.join('\n');
}
