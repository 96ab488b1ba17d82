import { type KeyboardEvent, type PointerEvent, useRef } from 'react';

interface Props {
  /** Width of the pane before the splitter, in pixels. */
  value: number;
  min: number;
  max: number;
  label: string;
  onChange: (width: number) => void;
}

const STEP = 16;

/**
 * A vertical splitter between two panes, as in DevTools: drag it, or focus it and use the arrow keys
 * (Shift for larger steps), Home and End. Announced as a separator with its current width.
 */
export function Splitter({ value, min, max, label, onChange }: Props) {
  const drag = useRef<{ startX: number; startValue: number } | undefined>(undefined);
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? STEP * 4 : STEP;
    const next: Record<string, number> = {
      ArrowLeft: value - step,
      ArrowRight: value + step,
      Home: min,
      End: max,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onChange(clamp(target));
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { startX: event.clientX, startValue: value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onChange(clamp(drag.current.startValue + event.clientX - drag.current.startX));
  };
  const end = () => {
    drag.current = undefined;
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be focused or dragged; a focusable separator is the ARIA splitter pattern
    <div
      className="sld-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={value}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
    />
  );
}
