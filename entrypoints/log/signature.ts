import type { Launch } from '../../utils/model';

/**
 * A cheap change detector for the polled launch list, so a poll that brings nothing new does not re-render a
 * 1,000-row list. Covers what the views show that can change without a step being added: a step's status and
 * phase, a response body merged from DevTools, the end time, and which findings apply.
 */
export function launchesSignature(launches: readonly Launch[]): string {
  const parts: string[] = [];
  for (const launch of launches) {
    parts.push(`${launch.id}:${launch.status}:${launch.endedAt ?? ''}:${launch.failedAt ?? ''}`);
    for (const finding of launch.findings) parts.push(`f${finding.ruleId}:${finding.severity}`);
    for (const { exchange: ex } of launch.steps)
      parts.push(`s${ex.id}:${ex.status ?? ''}:${ex.phase}:${ex.body ? ex.body.text.length : ''}`);
  }
  return parts.join('|');
}
