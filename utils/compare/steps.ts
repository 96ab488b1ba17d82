import type { Launch, Step, StepKind } from '../model';

/** A step's outcome in a word: HTTP status, network error, or phase. */
export function statusOf(step: Step): string {
  const ex = step.exchange;
  return ex.error ?? (ex.status !== undefined ? String(ex.status) : ex.phase);
}

/** Step kinds in the order a SMART launch passes them: the rows of the side-by-side table. */
export const STEP_ORDER: readonly StepKind[] = [
  'ehr-launch',
  'standalone-launch',
  'discovery',
  'metadata',
  'authorize',
  'loading-page',
  'session-api',
  'idp-login',
  'error-page',
  'callback',
  'token',
  'refresh',
  'fhir',
  'jwks',
  'other',
];

/** What one launch did at one kind of step. */
export interface StepCell {
  count: number;
  /** Statuses of its steps in order (HTTP status, network error, or phase), repeats collapsed. */
  statuses: string[];
  failed: boolean;
  /** The launch failed (or was cancelled) at a step of this kind. */
  failedHere: boolean;
  /** First step of this kind, for links into the timeline. */
  exchangeId: string;
}

export interface StepRow {
  kind: StepKind;
  a?: StepCell;
  b?: StepCell;
}

function cellOf(launch: Launch, steps: Step[]): StepCell {
  const statuses: string[] = [];
  for (const s of steps) {
    const st = statusOf(s);
    if (statuses.at(-1) !== st) statuses.push(st);
  }
  return {
    count: steps.length,
    statuses,
    failed: steps.some((s) => s.failed),
    failedHere: steps.some((s) => s.exchange.id === launch.failedAt),
    exchangeId: steps[0]!.exchange.id,
  };
}

function byKind(launch: Launch): Map<StepKind, StepCell> {
  const groups = new Map<StepKind, Step[]>();
  for (const s of launch.steps) {
    const list = groups.get(s.kind);
    if (list) list.push(s);
    else groups.set(s.kind, [s]);
  }
  const out = new Map<StepKind, StepCell>();
  for (const [kind, steps] of groups) out.set(kind, cellOf(launch, steps));
  return out;
}

/** The two launches' steps aligned by kind: which steps each reached, and with what status. */
export function alignSteps(a: Launch, b: Launch): StepRow[] {
  const ka = byKind(a);
  const kb = byKind(b);
  const rows: StepRow[] = [];
  for (const kind of STEP_ORDER) {
    const ca = ka.get(kind);
    const cb = kb.get(kind);
    if (!ca && !cb) continue;
    const row: StepRow = { kind };
    if (ca) row.a = ca;
    if (cb) row.b = cb;
    rows.push(row);
  }
  return rows;
}

/** A row where the launches part ways: one reached the kind and the other did not, or one failed there. */
export function rowDiverges(row: StepRow): boolean {
  if (!row.a || !row.b) return true;
  return row.a.failed !== row.b.failed || row.a.failedHere !== row.b.failedHere;
}
