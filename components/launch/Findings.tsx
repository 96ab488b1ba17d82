import type { Finding, Fix } from '../../utils/model';
import { Button } from '../common/Button';

interface Props {
  findings: readonly Finding[];
  /** State of the strip-forceAuthn rule as read back from the browser; undefined while unknown. */
  ruleEnabled?: boolean;
  onEvidence: (exchangeId: string) => void;
  onFix: (fix: Fix, finding: Finding) => void;
}

const SEVERITY_GLYPH = { error: '✕', warning: '⚠', info: 'ℹ' } as const;

function fixLabel(fix: Fix, ruleEnabled: boolean | undefined): string {
  if (fix.kind !== 'enable-strip-rule') return fix.label;
  if (ruleEnabled === true) return 'Strip rule is on: turn it off';
  return `${fix.label} (turn strip rule on)`;
}

/** What went wrong, the evidence (linked into the timeline) and one-click fixes. */
export function Findings({ findings, ruleEnabled, onEvidence, onFix }: Props) {
  if (findings.length === 0) return null;
  return (
    <section className="sld-findings" aria-label="Findings">
      {findings.map((finding) => (
        <article key={finding.ruleId} className="sld-finding" data-severity={finding.severity}>
          <h3>
            <span role="img" aria-label={finding.severity}>
              {SEVERITY_GLYPH[finding.severity]}
            </span>{' '}
            {finding.title}
          </h3>
          <p>{finding.summary}</p>
          {finding.evidence.length > 0 && (
            <ul className="sld-evidence">
              {finding.evidence.map((evidence, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: evidence is a fixed list that is never reordered
                <li key={`${evidence.label}-${i}`}>
                  <span className="sld-muted">{evidence.label}: </span>
                  {evidence.exchangeId ? (
                    <button
                      type="button"
                      className="sld-link"
                      onClick={() => onEvidence(evidence.exchangeId!)}
                      title="Show this step in the timeline"
                    >
                      {evidence.value}
                    </button>
                  ) : (
                    <code>{evidence.value}</code>
                  )}
                </li>
              ))}
            </ul>
          )}
          <div className="sld-fixes">
            {finding.fixes.map((fix) =>
              fix.kind === 'advice' ? (
                <p key={fix.label} className="sld-advice">
                  {fix.label}
                </p>
              ) : (
                <Button
                  key={`${fix.kind}-${fix.label}`}
                  variant={fix.kind === 'enable-strip-rule' ? 'primary' : 'secondary'}
                  aria-pressed={fix.kind === 'enable-strip-rule' ? ruleEnabled === true : undefined}
                  onClick={() => onFix(fix, finding)}
                >
                  {fixLabel(fix, ruleEnabled)}
                </Button>
              ),
            )}
          </div>
        </article>
      ))}
    </section>
  );
}
