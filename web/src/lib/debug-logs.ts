/**
 * fhirclient logs through the `debug` package, which reads `localStorage.debug` when the page loads.
 * `FHIR*` is the pattern that matches its namespaces in debug ≥ 4.4 (the older `FHIR.*` no longer does).
 */
export const FHIR_DEBUG_PATTERN = 'FHIR*';

export function debugLogsEnabled(storage: Pick<Storage, 'getItem'>): boolean {
  const v = storage.getItem('debug') ?? '';
  return v.split(/[\s,]+/).includes(FHIR_DEBUG_PATTERN);
}

/** Adds or removes only our pattern, keeping other namespaces a developer enabled. */
export function setDebugLogs(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  on: boolean,
): void {
  const others = (storage.getItem('debug') ?? '')
    .split(/[\s,]+/)
    .filter((p) => p && p !== FHIR_DEBUG_PATTERN);
  const next = on ? [...others, FHIR_DEBUG_PATTERN] : others;
  if (next.length) storage.setItem('debug', next.join(','));
  else storage.removeItem('debug');
}
