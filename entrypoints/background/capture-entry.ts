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

/** Applies one journal entry to the redacted copy and, when kept, the unredacted one. */
export function reduceEntry(
  entry: JournalEntry,
  live: CaptureState | undefined,
  raw: CaptureState | undefined,
  ctx: Omit<ReduceContext, 'redact'>,
): { live?: Change; raw?: Change } {
  return {
    ...(live ? { live: applyEvent(live, decoded(entry.event), { ...ctx, redact: true }) } : {}),
    ...(raw ? { raw: applyEvent(raw, decoded(entry.raw ?? entry.event), { ...ctx, redact: false }) } : {}),
  };
}
