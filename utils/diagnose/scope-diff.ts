import { diffScopes, type Scope, type ScopeDiff } from '../smart/scopes';

/** Stand-ins for an absent list, so that "none" and "empty" stay different keys. */
const NO_GRANTED: Scope[] = [];
const NO_SUPPORTED: Scope[] = [];

const diffs = new WeakMap<Scope[], WeakMap<Scope[], WeakMap<Scope[], ScopeDiff>>>();

/**
 * diffScopes(), remembered per triple of scope lists. parseScopes() hands out one shared, frozen list
 * per scope string, so the launches of one app against one server share their lists and their diff;
 * the diff is read-only. Empty requests are cheap and not remembered.
 */
export function cachedScopeDiff(requested: Scope[], granted?: Scope[], supported?: Scope[]): ScopeDiff {
  if (!requested.length) return diffScopes(requested, granted, supported);
  let byGranted = diffs.get(requested);
  if (!byGranted) {
    byGranted = new WeakMap();
    diffs.set(requested, byGranted);
  }
  const g = granted ?? NO_GRANTED;
  let bySupported = byGranted.get(g);
  if (!bySupported) {
    bySupported = new WeakMap();
    byGranted.set(g, bySupported);
  }
  const s = supported ?? NO_SUPPORTED;
  let diff = bySupported.get(s);
  if (!diff) {
    diff = diffScopes(requested, granted, supported);
    bySupported.set(s, diff);
  }
  return diff;
}
