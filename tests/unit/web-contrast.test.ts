/**
 * The companion's colours, read from its stylesheet: text on the accent (the primary button) meets
 * WCAG 2.1 AA (4.5:1) in the light and the dark theme.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../web/src/styles.css', import.meta.url), 'utf8');

/** The custom properties of the first block after `marker` (':root {' or the dark media query's). */
function vars(marker: string): Record<string, string> {
  const start = css.indexOf(marker);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function luminance(color: string): number {
  const hex = /^#[0-9a-f]{3}$/i.test(color) ? `#${[...color.slice(1)].map((c) => c + c).join('')}` : color;
  expect(hex).toMatch(/^#[0-9a-f]{6}$/i);
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('companion colours', () => {
  it('the primary button: text on the accent at 4.5:1 or more in both themes', () => {
    expect(css).toMatch(/button\.primary\s*{[^}]*color:\s*var\(--on-accent\)/);
    const light = vars(':root {');
    const dark = { ...light, ...vars('@media (prefers-color-scheme: dark)') };
    for (const theme of [light, dark]) {
      expect(contrast(theme['--on-accent']!, theme['--accent']!)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
