/**
 * Turns a clear-session plan (whatever shape the background answers with) into lines a person can
 * check before confirming: cookie names, storage types, origins. Unknown shapes are listed as JSON
 * rather than hidden, so the user always sees what will be deleted.
 */
export function describePlan(plan: unknown): string[] {
  if (plan === null || plan === undefined) return [];
  if (typeof plan === 'string') return [plan];
  if (Array.isArray(plan)) return plan.flatMap(describeItem);
  if (typeof plan === 'object') {
    return Object.entries(plan as Record<string, unknown>).flatMap(([key, value]) => {
      if (Array.isArray(value)) return value.map((item) => `${key}: ${describeItem(item).join(', ')}`);
      if (value === undefined || value === null || typeof value === 'object') return [];
      return [`${key}: ${String(value)}`];
    });
  }
  return [String(plan)];
}

function describeItem(item: unknown): string[] {
  if (typeof item === 'string') return [item];
  if (item && typeof item === 'object') {
    const record = item as Record<string, unknown>;
    const name = record.name ?? record.label ?? record.type;
    const where = record.domain ?? record.origin ?? record.url;
    if (typeof name === 'string') return [typeof where === 'string' ? `${name} (${where})` : name];
  }
  return [JSON.stringify(item)];
}
