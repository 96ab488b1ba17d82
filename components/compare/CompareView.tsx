import { useEffect, useRef } from 'react';
import type { Comparison, Difference } from '../../utils/compare';
import type { Fix } from '../../utils/model';
import { Button } from '../common/Button';
import { DifferenceList } from './DifferenceList';
import { FactTables, ScopeDiffList } from './FactTables';
import { StepTable } from './StepTable';
import './compare.css';

interface Props {
  comparison: Comparison;
  onFix: (fix: Fix, difference: Difference) => void;
  onCopyMarkdown: () => void;
  onClose: () => void;
}

const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Two launches side by side: the ranked differences first, then steps, facts and scopes. */
export function CompareView({ comparison: c, onFix, onCopyMarkdown, onClose }: Props) {
  const a = cap(c.labels.a);
  const b = cap(c.labels.b);
  const title = useRef<HTMLHeadingElement>(null);
  // The control that opened the comparison is gone: keyboard and screen-reader users land on its title.
  useEffect(() => title.current?.focus(), []);
  return (
    <section className="sld-cmp" aria-labelledby="sld-cmp-title">
      <header className="sld-cmp-header">
        <h3 id="sld-cmp-title" ref={title} tabIndex={-1}>
          Comparison: {a} ({c.a.launch.clientId ?? 'unknown client'}) and {b} (
          {c.b.launch.clientId ?? 'unknown client'})
        </h3>
        <p>{c.headline}</p>
        <fieldset className="sld-actions">
          <legend className="sld-visually-hidden">Comparison actions</legend>
          <Button onClick={onCopyMarkdown}>Copy comparison as Markdown</Button>
          <Button onClick={onClose}>Close comparison</Button>
        </fieldset>
      </header>
      <DifferenceList differences={c.differences} onFix={onFix} />
      <div className="sld-cmp-tables">
        <StepTable rows={c.steps} a={a} b={b} />
        <FactTables sections={c.sections} a={a} b={b} />
      </div>
      <ScopeDiffList diff={c.scopes} a={c.labels.a} b={c.labels.b} />
    </section>
  );
}
