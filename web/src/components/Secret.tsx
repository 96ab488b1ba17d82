import { useId, useState } from 'react';
import { mask } from '../../../utils/redact/mask';

/** A token shown masked (`eyJ…[812]`) until the developer asks to reveal it. */
export function Secret({ label, value }: { label: string; value: string }) {
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <div className="row">
      <span id={id} className="mono">
        <span className="visually-hidden">
          {label} ({shown ? 'revealed' : 'masked'}):{' '}
        </span>
        {shown ? value : mask(value)}
      </span>
      <button type="button" aria-describedby={id} aria-pressed={shown} onClick={() => setShown((s) => !s)}>
        {shown ? 'Hide' : 'Reveal'} {label}
      </button>
    </div>
  );
}
