/** Structural equality of plain data (JSON-like values: objects, arrays, primitives). */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const key of keys) {
    if (!(key in a)) return false;
    if (!sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * `next`, with every item equal to the previous item of the same id replaced by that previous object, so
 * what is memoized on an item (a list row) is not rendered again; `previous` itself when nothing changed.
 */
export function keepUnchanged<T extends { id: string }>(previous: readonly T[], next: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of previous) byId.set(item.id, item);
  let same = previous.length === next.length;
  const out = next.map((item, i) => {
    const old = byId.get(item.id);
    const kept = old !== undefined && sameData(old, item) ? old : item;
    if (kept !== previous[i]) same = false;
    return kept;
  });
  return same ? (previous as T[]) : out;
}
