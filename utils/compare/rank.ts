import type { Finding, Launch } from '../model';
import { isTroubledLaunch } from './companion';
import { cap, possessive } from './text';
import type { Difference, RawDifference, SideLabels } from './types';

/** A difference backed by a finding of the launch in trouble leads; by severity of that finding. */
const SEVERITY_BOOST = { error: 100, warning: 50, info: 0 } as const;

interface Sided {
  side: 'a' | 'b';
  finding: Finding;
}

/** A launch that ended badly, or carries an error finding (FHIR refusals can follow a "successful" launch). */
function troubledLaunch(l: Launch): boolean {
  return isTroubledLaunch(l) || l.findings.some((f) => f.severity === 'error');
}

/** Findings of one launch whose rule did not fire on the other: the candidates to explain a difference. */
function ownFindings(a: Launch, b: Launch): Sided[] {
  const rulesA = new Set(a.findings.map((f) => f.ruleId));
  const rulesB = new Set(b.findings.map((f) => f.ruleId));
  const sided: Sided[] = [
    ...a.findings.filter((f) => !rulesB.has(f.ruleId)).map((finding) => ({ side: 'a' as const, finding })),
    ...b.findings.filter((f) => !rulesA.has(f.ruleId)).map((finding) => ({ side: 'b' as const, finding })),
  ];
  // The troubled launch's findings first, then by severity.
  const troubled = (s: Sided) => troubledLaunch(s.side === 'a' ? a : b);
  const order = { error: 0, warning: 1, info: 2 };
  return sided.sort(
    (x, y) =>
      Number(troubled(y)) - Number(troubled(x)) || order[x.finding.severity] - order[y.finding.severity],
  );
}

/**
 * Pairs each difference with the finding that explains it (each finding used once, explanatory
 * differences first), names the remaining one-sided findings, and ranks everything.
 */
export function rankDifferences(
  raw: RawDifference[],
  a: Launch,
  b: Launch,
  labels: SideLabels,
): Difference[] {
  const pool = ownFindings(a, b);
  const used = new Set<Finding>();
  const take = (ruleIds: readonly string[], pick?: (s: Sided) => boolean) => {
    const hit = pool.find((s) => !used.has(s.finding) && (ruleIds.includes(s.finding.ruleId) || pick?.(s)));
    if (hit) used.add(hit.finding);
    return hit;
  };
  const out: Difference[] = [];
  const withFinding = (d: RawDifference, s: Sided | undefined): Difference => {
    const { base, ruleIds: _ruleIds, ...rest } = d;
    const troubled = s ? troubledLaunch(s.side === 'a' ? a : b) : false;
    const diff: Difference = {
      ...rest,
      weight: base + (s && troubled ? SEVERITY_BOOST[s.finding.severity] : 0),
      fixes: s ? s.finding.fixes : [],
    };
    if (s) {
      const f = s.finding;
      diff.finding = { side: s.side, ruleId: f.ruleId, title: f.title, severity: f.severity };
    }
    return diff;
  };
  // Explanatory differences take their findings before the step divergence may take what is left.
  const steps = raw.filter((d) => d.kind === 'steps');
  for (const d of raw.filter((x) => x.kind !== 'steps')) out.push(withFinding(d, take(d.ruleIds)));
  for (const d of steps) {
    const failedAt = [a.failedAt, b.failedAt];
    out.push(
      withFinding(
        d,
        take(
          [],
          (s) =>
            s.finding.severity === 'error' && s.finding.evidence.some((e) => failedAt.includes(e.exchangeId)),
        ),
      ),
    );
  }
  for (const s of pool) {
    if (used.has(s.finding) || s.finding.severity === 'info') continue;
    const who = s.side === 'a' ? labels.a : labels.b;
    out.push(
      withFinding(
        {
          kind: 'finding',
          base: 25,
          ruleIds: [],
          text: `Only ${possessive(who)} launch has the finding “${s.finding.title}”: ${s.finding.summary}`,
        },
        s,
      ),
    );
    used.add(s.finding);
  }
  return out
    .map((d, i) => ({ d, i }))
    .sort((x, y) => y.d.weight - x.d.weight || x.i - y.i)
    .map(({ d }) => ({ ...d, text: cap(d.text) }));
}
