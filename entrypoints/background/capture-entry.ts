import {
  applyEvent,
  boundEvent,
  type CaptureEvent,
  type CaptureState,
  type Change,
  type ReduceContext,
  redactEvent,
  withSecretFacts,
} from '../../utils/capture';
import type { JournalEntry } from './journal';

/**
 * The two places an event is transformed, side by side: facts about its secrets (code fingerprint with
 * the per-install `key`, verifier challenge) then redaction, when it is made durable (nothing unredacted
 * is written unless the user keeps secrets); and reduction, when it is compacted. Over-long URLs are cut
 * first (utils/capture/bounds.ts), so both copies hold the same bounded event.
 */
export function journalForm(
  event: CaptureEvent,
  keepSecrets: boolean,
  key: Uint8Array | undefined,
): [CaptureEvent, CaptureEvent?] {
  const seen = withSecretFacts(boundEvent(event), key);
  return [redactEvent(seen), keepSecrets ? seen : undefined];
}

/** An event as journaled: the object itself in the worker that caught it, JSON text when read back. */
function decoded(event: CaptureEvent | string): CaptureEvent {
  return typeof event === 'string' ? (JSON.parse(event) as CaptureEvent) : event;
}

/**
 * The event with its webRequest id in this browser session's space: the browser numbers requests from 1
 * again after it restarts, and an id seen before the restart must not join a new request to an old
 * launch (records outlive the browser session; the journal does not, so every entry is of this one).
 */
function inSession(event: CaptureEvent, requestTag: string): CaptureEvent {
  return requestTag && 'requestId' in event && typeof event.requestId === 'string'
    ? { ...event, requestId: `${requestTag}.${event.requestId}` }
    : event;
}

/** Applies one journal entry to the redacted copy and, when kept, the unredacted one. */
export function reduceEntry(
  entry: JournalEntry,
  live: CaptureState | undefined,
  raw: CaptureState | undefined,
  ctx: Omit<ReduceContext, 'redact'>,
  requestTag = '',
): { live?: Change; raw?: Change } {
  const event = (e: CaptureEvent | string) => inSession(decoded(e), requestTag);
  return {
    ...(live ? { live: applyEvent(live, event(entry.event), { ...ctx, redact: true }) } : {}),
    ...(raw ? { raw: applyEvent(raw, event(entry.raw ?? entry.event), { ...ctx, redact: false }) } : {}),
  };
}
