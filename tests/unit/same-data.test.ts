import { describe, expect, it } from 'vitest';
import { keepUnchanged, sameData } from '../../utils/same-data';

describe('sameData', () => {
  it('compares plain data by structure', () => {
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
    expect(sameData(Number.NaN, Number.NaN)).toBe(true);
    expect(sameData({ s: 'failed' }, { s: 'succeeded' })).toBe(false);
  });
});

describe('keepUnchanged', () => {
  const row = (id: string, status: string, steps = 3) => ({ id, status, steps, hosts: ['a.example.org'] });

  it('returns the previous array when every item is equal and in the same order', () => {
    const previous = [row('1', 'failed'), row('2', 'succeeded')];
    expect(keepUnchanged(previous, [row('1', 'failed'), row('2', 'succeeded')])).toBe(previous);
  });

  it('keeps the objects of equal items and takes the changed and new ones', () => {
    const previous = [row('1', 'failed'), row('2', 'in-progress')];
    const next = [row('3', 'in-progress'), row('1', 'failed'), row('2', 'succeeded', 5)];
    const out = keepUnchanged(previous, next);
    expect(out).not.toBe(previous);
    expect(out).toEqual(next);
    expect(out[0]).toBe(next[0]);
    expect(out[1]).toBe(previous[0]);
    expect(out[2]).toBe(next[2]);
  });

  it('drops removed items and notices a reordering', () => {
    const previous = [row('1', 'failed'), row('2', 'failed')];
    expect(keepUnchanged(previous, [previous[1]!])).toEqual([row('2', 'failed')]);
    const swapped = keepUnchanged(previous, [row('2', 'failed'), row('1', 'failed')]);
    expect(swapped).not.toBe(previous);
    expect(swapped[0]).toBe(previous[1]);
  });
});
