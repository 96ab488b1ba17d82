/**
 * Tolerant percent-decoding. `decodeURIComponent` throws on a lone `%` or a broken UTF-8 sequence;
 * recorded URLs come from arbitrary servers and apps, so we decode what is valid, keep the rest raw
 * and say so, and never throw.
 */

export interface Decoded {
  value: string;
  /** Set when part of the input could not be decoded and was kept as is. */
  warning?: string;
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** Decode one query component: `+` means space, `%XX` runs are UTF-8. */
export function decodeComponent(raw: string, plusIsSpace = true): Decoded {
  const input = plusIsSpace && raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!input.includes('%')) return { value: input };
  try {
    return { value: decodeURIComponent(input) };
  } catch {
    return decodeRuns(input);
  }
}

/** Slow path: decode each run of `%XX` on its own so one bad sequence does not spoil the rest. */
function decodeRuns(input: string): Decoded {
  let bad = 0;
  const value = input.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      bad++;
      return run;
    }
  });
  const stray = (value.match(/%(?![0-9A-Fa-f]{2})/g) ?? []).length;
  const parts: string[] = [];
  if (stray > 0) parts.push(`${stray} stray "%" not followed by two hex digits`);
  if (bad > 0) parts.push(`${bad} percent-encoded sequence(s) that are not valid UTF-8`);
  return { value, warning: `invalid percent-encoding kept raw: ${parts.join(', ') || 'unknown'}` };
}

/** True when the text still looks percent-encoded (e.g. a double-encoded URL). */
export function looksEncoded(value: string): boolean {
  return /%[0-9A-Fa-f]{2}/.test(value);
}
