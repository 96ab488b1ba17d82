import type { Difference } from '../../utils/compare';
import type { Fix } from '../../utils/model';
import { Button } from '../common/Button';
import { fixButtons } from '../launch/fixActions';

interface Props {
  differences: readonly Difference[];
  onFix: (fix: Fix, difference: Difference) => void;
}

/** Sentences quote values in backticks (as in the Markdown export): shown as code here. */
function Sentence({ text }: { text: string }) {
  return (
    <p>
      {text.split('`').map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence, never reordered
        i % 2 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>,
      )}
    </p>
  );
}

const SEVERITY_GLYPH = { error: '✕', warning: '⚠', info: 'ℹ' } as const;

function Item({ d, onFix }: { d: Difference; onFix: Props['onFix'] }) {
  return (
    <li className="sld-cmp-diff" data-severity={d.finding?.severity}>
      <Sentence text={d.text} />
      {d.finding && (
        <p className="sld-muted">
          <span role="img" aria-label={d.finding.severity}>
            {SEVERITY_GLYPH[d.finding.severity]}
          </span>{' '}
          Finding: {d.finding.title}
        </p>
      )}
      {d.fixes.length > 0 && (
        <div className="sld-fixes">
          {/* The same buttons as the finding's own (components/launch/fixActions.ts): a fix with its relaunch. */}
          {fixButtons(d.fixes, undefined).map((b) => (
            <Button
              key={`${b.fix.kind}-${b.intent}`}
              variant={b.primary ? 'primary' : 'secondary'}
              onClick={() => onFix(b.fix, d)}
            >
              {b.label}
            </Button>
          ))}
          {d.fixes.map((fix) =>
            fix.kind === 'advice' ? (
              <p key={fix.label} className="sld-advice">
                {fix.label}
              </p>
            ) : null,
          )}
        </div>
      )}
    </li>
  );
}

/** The ranked differences: causes first, with their fixes; differences expected between two apps folded away. */
export function DifferenceList({ differences, onFix }: Props) {
  const causes = differences.filter((d) => !d.expected);
  const expected = differences.filter((d) => d.expected);
  return (
    <section className="sld-cmp-diffs" aria-labelledby="sld-cmp-diffs-title">
      <h4 id="sld-cmp-diffs-title">Differences, most likely cause first</h4>
      {differences.length === 0 && <p className="sld-empty">No differences: the two launches match.</p>}
      {causes.length > 0 && (
        <ol>
          {causes.map((d) => (
            <Item key={`${d.kind}-${d.text}`} d={d} onFix={onFix} />
          ))}
        </ol>
      )}
      {expected.length > 0 && (
        <details>
          <summary>Expected between two different apps ({expected.length})</summary>
          <ul>
            {expected.map((d) => (
              <Item key={`${d.kind}-${d.text}`} d={d} onFix={onFix} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
