import type { Exchange } from '../model';

/** Bookkeeping for one webRequest id: the exchange ids of its hops, oldest first. */
export interface RequestTrack {
  hops: string[];
  lastSeen: number;
}

/**
 * Everything the recorder knows, as plain JSON so it can be persisted as it changes: a worker that is
 * stopped mid-launch reloads this and carries on with the next event.
 */
export interface CaptureState {
  exchanges: Record<string, Exchange>;
  /** Tracked (SMART-relevant) webRequest ids. */
  requests: Record<string, RequestTrack>;
  /** tabId → the tab that opened it. */
  openers: Record<string, { openerTabId: number; at: number }>;
  /** `${tabId}:${frameId}` → a pending relevant navigation (for its start time). */
  navStarts: Record<string, { url: string; at: number }>;
}

export function emptyState(): CaptureState {
  return { exchanges: {}, requests: {}, openers: {}, navStarts: {} };
}

/** What one or more events changed, so the store writes only those records. */
export interface Change {
  /** Exchange ids created or modified. */
  upserted: Set<string>;
  /** Exchange ids deleted (absorbed into a richer record, or not retained). */
  removed: Set<string>;
  /** webRequest ids whose RequestTrack was created, modified or deleted. */
  tracks: Set<string>;
  /** Whether `openers` or `navStarts` changed. */
  bookkeeping: boolean;
}

export function newChange(): Change {
  return { upserted: new Set(), removed: new Set(), tracks: new Set(), bookkeeping: false };
}

/** Folds `next` into `into` (later changes win: an upsert after a removal is an upsert, and back). */
export function mergeChange(into: Change, next: Change): Change {
  for (const id of next.removed) {
    into.upserted.delete(id);
    into.removed.add(id);
  }
  for (const id of next.upserted) {
    into.removed.delete(id);
    into.upserted.add(id);
  }
  for (const id of next.tracks) into.tracks.add(id);
  into.bookkeeping ||= next.bookkeeping;
  return into;
}

export function isEmptyChange(change: Change): boolean {
  return !change.upserted.size && !change.removed.size && !change.tracks.size && !change.bookkeeping;
}

/** Response headers kept (lower-case names); everything else is dropped at capture. */
export const SELECTED_RESPONSE_HEADERS = new Set([
  'location',
  'cerner-correlation-id',
  'www-authenticate',
  'cache-control',
  'content-type',
  'access-control-allow-origin',
  // A CORS preflight's answer: what it allowed tells why the request after it was refused.
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'smart-launch',
  // How long a server that failed (503) or limits requests (429) asks clients to wait.
  'retry-after',
]);

/** Deterministic short hash for ids of records that have no request id. */
export function shortHash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
