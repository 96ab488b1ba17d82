import { describe, expect, it } from 'vitest';
import { formatClock } from '../../components/launch/format';

describe('formatClock', () => {
  it('writes a time as toLocaleString() does', () => {
    for (const t of [
      0,
      1_700_000_000_000,
      1_764_510_000_123,
      Date.UTC(2026, 11, 31, 23, 59, 59),
      -86_400_000,
    ]) {
      expect(formatClock(t)).toBe(new Date(t).toLocaleString());
    }
  });

  it('says what toLocaleString says of a time that is not one', () => {
    expect(formatClock(Number.NaN)).toBe(new Date(Number.NaN).toLocaleString());
  });
});
