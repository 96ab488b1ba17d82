import type { CapturedBody } from '../model';
import { redactJsonText } from './json';
import { maskEchoes } from './mask';
import { redactText } from './text';
import { redactQuery } from './url';

/** Response bodies are kept up to this many bytes (UTF-8); the rest is cut and flagged. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Cut text to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, max = MAX_BODY_BYTES): { text: string; truncated: boolean } {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return { text, truncated: false };
  const cut = new TextDecoder('utf-8', { fatal: false }).decode(bytes.slice(0, max));
  return { text: cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut, truncated: true };
}

/**
 * Redact a body by what it is: JSON structurally, form bodies as a query, anything else as text. A
 * page or message that repeats a secret masked earlier (an error page quoting the code it refuses) has
 * it masked too (maskEchoes()): it stands there without a name to find it by.
 */
export function redactBodyText(text: string, mimeType = ''): string {
  const mime = mimeType.toLowerCase();
  const trimmed = text.trimStart();
  if (mime.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = redactJsonText(text);
    if (json !== undefined) return maskEchoes(json);
  }
  if (mime.includes('x-www-form-urlencoded')) return redactQuery(text);
  return maskEchoes(redactText(text));
}

/** Bound first, then redact, so a secret cut in half by the bound is still masked as text. */
export function captureBody(text: string, mimeType?: string, redact = true): CapturedBody {
  const bounded = truncateUtf8(text);
  const out = redact ? redactBodyText(bounded.text, mimeType) : bounded.text;
  return { text: out, truncated: bounded.truncated, ...(mimeType ? { mimeType } : {}) };
}

export function redactBody(body: CapturedBody): CapturedBody {
  return { ...body, text: redactBodyText(body.text, body.mimeType) };
}
