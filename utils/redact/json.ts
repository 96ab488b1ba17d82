import { mask, maskJwtSignature } from './mask';
import { isProseName, isSecretName, normalizeName } from './names';
import { redactProse, redactText } from './text';
import { redactValue } from './url';

const MAX_JSON_DEPTH = 64;
/** What stands for a value JSON cannot even write out (nested thousands of levels deep). */
const UNWRITABLE = 'value nested too deep to show';

/** JSON.stringify(), or undefined where it throws (its own recursion overflows on very deep values). */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * Redact a parsed JSON value: values under secret keys are masked (an `id_token` keeps its header and
 * claims, only the signature goes), other strings are scanned for nested URLs and JWTs.
 */
export function redactJsonValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactJsonString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_JSON_DEPTH) return mask(jsonText(value) ?? UNWRITABLE);
  if (Array.isArray(value)) return value.map((v) => redactJsonValue(v, depth + 1));
  // A header or field written as a pair (`{"name": "client_secret", "value": "…"}`, as HAR files and FHIR
  // Parameters write them).
  const named = (value as Record<string, unknown>).name;
  const pairSecret = typeof named === 'string' && isSecretName(named);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // `value`, or FHIR Parameters' `valueString` and the like.
    const pairValue = pairSecret && /^value(?:[A-Z]\w*)?$/.test(key);
    out[key] =
      isSecretName(key) || pairValue
        ? maskSecretMember(pairValue ? named : key, v)
        : typeof v === 'string' && isProseName(key)
          ? redactProse(v)
          : redactJsonValue(v, depth + 1);
  }
  return out;
}

/** A string value: nested URLs and JWTs, and a credential after an auth scheme (a logged header line). */
function redactJsonString(value: string): string {
  const out = redactValue(value, 1);
  return /\b(?:Bearer|Basic)\s/.test(out) ? redactText(out) : out;
}

function maskSecretMember(key: string, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (typeof value === 'string') {
    return normalizeName(key) === 'id_token' ? (maskJwtSignature(value) ?? mask(value)) : mask(value);
  }
  return mask(typeof value === 'object' ? (jsonText(value) ?? UNWRITABLE) : String(value));
}

/** Redact JSON text; returns undefined when the text is not valid JSON (the caller falls back to text). */
export function redactJsonText(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const redacted = redactJsonValue(parsed);
  const compact = JSON.stringify(redacted);
  // Unchanged text is kept as it was written (JSON too deep to write out was cut: changed).
  if (compact === jsonText(parsed)) return text;
  return text.includes('\n') ? JSON.stringify(redacted, null, 2) : compact;
}
