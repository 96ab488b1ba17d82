import { type CaptureState, type Change, newChange } from '../../utils/capture';
import { type LoadedRecords, type RecordArea, type RecordKeys, readRecords, writeRecords } from './records';
import { LEGACY_STATE_KEYS } from './store';

/** Every record of a state, as a change (for writing a whole migrated state out record by record). */
function everything(state: CaptureState): Change {
  const change = newChange();
  for (const id of Object.keys(state.exchanges)) change.upserted.add(id);
  for (const id of Object.keys(state.requests)) change.tracks.add(id);
  change.bookkeeping = true;
  return change;
}

/**
 * Loads one copy of the capture state from its records. A state left under the old single key by an
 * earlier version is written out per record first, then its key removed; a worker stopped in between
 * simply migrates it again.
 */
export async function loadCopy(
  area: RecordArea,
  all: Record<string, unknown>,
  keys: RecordKeys,
  copy: keyof typeof LEGACY_STATE_KEYS,
): Promise<LoadedRecords & { dirty: Change }> {
  const loaded = readRecords(all, keys);
  const legacyKey = LEGACY_STATE_KEYS[copy];
  const legacy = all[legacyKey] as CaptureState | undefined;
  if (!legacy || typeof legacy !== 'object' || typeof legacy.exchanges !== 'object') {
    return { ...loaded, dirty: newChange() };
  }
  const state = loaded.state;
  Object.assign(state.exchanges, structuredClone(legacy.exchanges));
  Object.assign(state.requests, structuredClone(legacy.requests ?? {}));
  Object.assign(state.openers, structuredClone(legacy.openers ?? {}));
  Object.assign(state.navStarts, structuredClone(legacy.navStarts ?? {}));
  try {
    await writeRecords(area, keys, state, everything(state));
    await area.remove([legacyKey, `${legacyKey}$`]);
    return { ...loaded, state, dirty: newChange() };
  } catch {
    // Left for the first compaction to write (and a later start to migrate again).
    return { ...loaded, state, dirty: everything(state) };
  }
}
