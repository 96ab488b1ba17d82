/** One benchmark figure next to its target; `ok` is undefined for figures without a target. */
export interface Row {
  figure: string;
  value: string;
  target?: string;
  ok?: boolean;
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'ok' : 'MISSED');

/** Prints a fixed-width table: figure | value | target | verdict. */
export function printTable(title: string, rows: Row[]): void {
  const w = [
    Math.max(6, ...rows.map((r) => r.figure.length)),
    Math.max(5, ...rows.map((r) => r.value.length)),
    Math.max(6, ...rows.map((r) => (r.target ?? '').length)),
  ];
  const line = (a: string, b: string, c: string, d: string) =>
    `  ${a.padEnd(w[0]!)}  ${b.padStart(w[1]!)}  ${c.padEnd(w[2]!)}  ${d}`.trimEnd();
  console.log(`\n${title}`);
  console.log(line('figure', 'value', 'target', ''));
  console.log(`  ${'-'.repeat(w[0]! + w[1]! + w[2]! + 10)}`);
  for (const r of rows) console.log(line(r.figure, r.value, r.target ?? '', verdict(r.ok)));
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const ratio = (v: number) => `${v.toFixed(2)}×`;
export const cpuMs = (v: number) => `${v.toFixed(3)} ms`;
