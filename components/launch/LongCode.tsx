import { type ReactNode, useId, useState } from 'react';

/** Values longer than this fold to a few lines (about three at the width of a docked DevTools pane). */
export const FOLD_AT = 300;

/**
 * A long value (a URL of hundreds of characters) folded to three lines, with a button that shows it all:
 * in a pane a few hundred pixels tall the decoded parameters under it stay in view. The whole text is in
 * the page either way (selectable, copied whole, found by the browser's search). `children` follow the
 * value (a note such as its length), on the button's line when it is folded.
 */
export function LongCode({ text, what, children }: { text: string; what: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (text.length <= FOLD_AT)
    return (
      <>
        <code>{text}</code>
        {children}
      </>
    );
  return (
    <>
      <code id={id} className={open ? 'sld-unfolded' : 'sld-folded'}>
        {text}
      </code>
      <span className="sld-fold-line">
        <button
          type="button"
          className="sld-fold-toggle"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? `Fold the ${what}` : `Show the whole ${what}`}
        </button>
        {children}
      </span>
    </>
  );
}
