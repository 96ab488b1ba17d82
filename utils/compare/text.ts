import type { LaunchStatus } from '../model';
import { redactText, redactValue } from '../redact';

/** Sentence helpers shared by the difference detectors and the Markdown export. */

export const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
export const possessive = (label: string) => `${label}'s`;
/** "launch A" already names a launch; "your app" becomes "your app's launch". */
export const launchOf = (label: string) => (label.startsWith('launch ') ? label : `${label}'s launch`);
export const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
/** A value quoted in a sentence; redacted here because a sentence is too loose for a later scan. */
export const code = (s: string) => `\`${redactValue(redactText(s), 1).replace(/`/g, "'")}\``;
export const yesNo = (v: boolean | undefined) => (v === undefined ? '—' : v ? 'yes' : 'no');
export const orDash = (v: string | number | undefined) =>
  v === undefined || v === '' ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : v;

export const STATUS_WORD: Record<LaunchStatus, string> = {
  'in-progress': 'is still in progress',
  authorized: 'was authorized (token exchange not seen)',
  succeeded: 'succeeded',
  cancelled: 'was cancelled',
  abandoned: 'was abandoned',
  failed: 'failed',
};
