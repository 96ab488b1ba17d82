import type { Finding, Fix } from '../../utils/model';
import { Button } from '../common/Button';
import { type FixIntent, fixButtons, TOKEN_CAPTURE_HINT } from './fixActions';

interface Props {
  findings: readonly Finding[];
  /** State of the strip-forceAuthn rule as read back from the browser; undefined while unknown. */
  ruleEnabled?: boolean;
  onEvidence: (exchangeId: string) => void;
  onFix: (fix: Fix, finding: Finding, intent?: FixIntent) => void;
}

const SEVERITY_GLYPH = { error: '✕', warning: '⚠', info: 'ℹ' } as const;

function FixBar({
  finding,
  ruleEnabled,
  onFix,
}: Omit<Props, 'findings' | 'onEvidence'> & { finding: Finding }) {
  const buttons = fixButtons(finding.fixes, ruleEnabled, finding.severity !== 'info');
  const strip = finding.fixes.some((f) => f.kind === 'enable-strip-rule');
  const watch = finding.fixes.some((f) => f.kind === 'watch-origin');
  const advice = finding.fixes.some((f) => f.kind === 'advice');
  if (buttons.length === 0 && !advice && !(strip && ruleEnabled)) return null;
  return (
    <div className="sld-fixes">
      {strip && ruleEnabled && <span className="sld-fix-done">✓ Strip forceAuthn on</span>}
      {buttons.map((b) => (
        <Button
          key={`${b.fix.kind}-${b.intent}`}
          variant={b.primary ? 'primary' : 'secondary'}
          onClick={() => onFix(b.fix, finding, b.intent)}
        >
          {b.label}
        </Button>
      ))}
      {finding.fixes.map((fix) =>
        fix.kind === 'advice' ? (
          <p key={fix.label} className="sld-advice">
            {fix.label}
          </p>
        ) : null,
      )}
      {watch && <p className="sld-advice">{TOKEN_CAPTURE_HINT}</p>}
    </div>
  );
}

/**
 * What went wrong, then the one-click fixes (in view first, even in DevTools docked short), then the
 * evidence (chips that open the step in the timeline).
 */
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
          <FixBar finding={finding} ruleEnabled={ruleEnabled} onFix={onFix} />
          {finding.evidence.length > 0 && (
            <ul className="sld-evidence" aria-label="Evidence">
              {finding.evidence.map((evidence, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: evidence is a fixed list that is never reordered
                <li key={`${evidence.label}-${i}`}>
                  {evidence.exchangeId ? (
                    <button
                      type="button"
                      className="sld-evidence-chip"
                      aria-label={`${evidence.label}: ${evidence.value} — show in timeline`}
                      title="Show this step in the timeline"
                      onClick={() => onEvidence(evidence.exchangeId!)}
                    >
                      <span className="sld-muted">{evidence.label}:</span> <code>{evidence.value}</code>
                    </button>
                  ) : (
                    <>
                      <span className="sld-muted">{evidence.label}: </span>
                      <code>{evidence.value}</code>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </section>
  );
}
