/**
 * Durations and timeline offsets as people read them, one way for the log and the CLI: milliseconds and
 * seconds for short spans, minutes and hours for long ones (a launch whose sign-in waited 11 minutes, a
 * session refreshed for two hours), with no "60 s" from rounding.
 */

/** "850 ms", "12.3 s", "3 min 20 s", "15 h 50 min". */
export function durationText(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const s = (ms / 1000).toFixed(1);
    // 59.96 s rounds to "60.0 s": a minute.
    if (s !== '60.0') return `${s} s`;
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return minutesText(ms);
}

/** To the minute: "11 min", "2 h 5 min" (a wait, where seconds say nothing). */
export function minutesText(ms: number): string {
  const total = Math.round(ms / 60_000);
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

/**
 * An offset from a launch's start, "+1.25 s", and as a clock past a minute, "+11:01.00" or "+2:05:03.12",
 * so that steps minutes or hours in still read at a glance and keep their order to the hundredth.
 */
export function offsetText(ms: number, decimals: 1 | 2 = 2): string {
  const scale = 10 ** decimals;
  const total = Math.round((Math.max(0, ms) / 1000) * scale) / scale;
  if (total < 60) return `+${total.toFixed(decimals)} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = (total % 60).toFixed(decimals).padStart(decimals + 3, '0');
  return h > 0 ? `+${h}:${String(m).padStart(2, '0')}:${s}` : `+${m}:${s}`;
}
