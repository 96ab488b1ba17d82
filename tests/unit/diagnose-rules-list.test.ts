import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../utils/diagnose/rules';
import type { Rule } from '../../utils/diagnose/types';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../utils/diagnose/rules');

const isRule = (x: unknown): x is Rule =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as Rule).id === 'string' &&
  typeof (x as Rule).detect === 'function';

describe('RULES', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s exports one rule, named after the file, that RULES runs', async (file) => {
    const mod: Record<string, unknown> = await import(join(dir, file));
    const rules = Object.values(mod).filter(isRule);
    expect(rules.map((r) => r.id)).toEqual([file.replace(/\.ts$/, '')]);
    expect(RULES).toContain(rules[0]);
  });

  it('has no rule twice and none from outside the folder', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(RULES.map((r) => `${r.id}.ts`).sort()).toEqual([...files].sort());
  });

  it('runs unexplained-failure last: it speaks only when nothing before it explained the failure', () => {
    expect(RULES.at(-1)!.id).toBe('unexplained-failure');
  });
});
