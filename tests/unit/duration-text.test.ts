import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset } from '../../components/launch/format';
import { durationText, offsetText } from '../../utils/launch/duration';

describe('durations and offsets as people read them', () => {
  it('durations: ms, s, min and s, h and min; rounding never gives "60 s" or "1000 ms"', () => {
    expect([850, 999.6, 12_340, 59_960, 119_700, 200_000, 3_599_600, 57_002_200].map(durationText)).toEqual([
      '850 ms',
      '1.0 s',
      '12.3 s',
      '1 min 0 s',
      '2 min 0 s',
      '3 min 20 s',
      '1 h 0 min',
      '15 h 50 min',
    ]);
  });

  it('offsets: seconds under a minute, a clock past it, in order to the hundredth', () => {
    expect([0, 1250, 59_994, 59_996, 661_000, 7_503_123, 3_599_999].map((ms) => offsetText(ms))).toEqual([
      '+0.00 s',
      '+1.25 s',
      '+59.99 s',
      '+1:00.00',
      '+11:01.00',
      '+2:05:03.12',
      '+1:00:00.00',
    ]);
    expect(offsetText(661_040, 1)).toBe('+11:01.0');
  });

  it("the log's timeline and header use them (an unknown duration is a dash)", () => {
    expect(formatOffset(661_000)).toBe('+11:01.00');
    expect(formatDuration(661_000)).toBe('11 min 1 s');
    expect(formatDuration(undefined)).toBe('–');
  });
});
