import { type CSSProperties, memo, useEffect, useRef, useState } from 'react';
import { stepLabel } from '../../utils/launch/step-label';
import type { Step } from '../../utils/model';
import { formatDuration, formatOffset, splitUrl, stepStatus } from './format';
import { StepDetail } from './StepDetail';

export interface FocusRequest {
  exchangeId: string;
  /** Changes on every request so asking twice for the same step scrolls again. */
  seq: number;
}

interface Props {
  steps: readonly Step[];
  failedAt?: string;
  focus?: FocusRequest;
  /** The launch no longer moves: a request still without its answer will not get one recorded. */
  over?: boolean;
}

/**
 * Steps in order with method, host, path, status and offset; each opens into its decoded detail.
 * Memoized: the log renders the open launch again on every change pushed while traffic flows, and the
 * steps are the same objects until that launch itself is fetched again.
 */
export const Timeline = memo(function Timeline({ steps, failedAt, focus, over = false }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(failedAt ? [failedAt] : []));
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    if (!focus) return;
    setOpen((prev) => new Set(prev).add(focus.exchangeId));
    const button = buttons.current.get(focus.exchangeId);
    button?.scrollIntoView?.({ block: 'center' });
    button?.focus();
  }, [focus]);

  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  if (steps.length === 0) return <p className="sld-empty">No steps captured.</p>;
  // The offset column fits the longest offset, the last step's (steps are in order; a clock past a minute,
  // hours for a long session), so that every row's columns line up.
  const longest = formatOffset(steps[steps.length - 1]!.offsetMs).length;
  return (
    <ol
      className="sld-timeline"
      aria-label="Timeline"
      style={longest > 8 ? ({ '--sld-offset-width': `${longest + 1}ch` } as CSSProperties) : undefined}
    >
      {steps.map((step) => {
        const id = step.exchange.id;
        const { host, path } = splitUrl(step.exchange.url);
        const isOpen = open.has(id);
        const label = stepLabel(step);
        return (
          <li
            key={id}
            className="sld-step"
            data-failed={step.failed || undefined}
            data-failed-at={id === failedAt || undefined}
            data-focused={focus?.exchangeId === id || undefined}
          >
            <button
              type="button"
              className="sld-step-row"
              aria-expanded={isOpen}
              ref={(el) => {
                if (el) buttons.current.set(id, el);
                else buttons.current.delete(id);
              }}
              onClick={() => toggle(id)}
            >
              <span className="sld-step-offset">{formatOffset(step.offsetMs)}</span>
              <span className="sld-step-method">{step.exchange.method}</span>
              <span
                className="sld-step-status"
                data-failed={step.failed || undefined}
                title={unanswered(step, over) ? 'No answer was recorded' : stepStatus(step)}
              >
                {unanswered(step, over) ? '–' : stepStatus(step)}
              </span>
              <span className="sld-step-where">
                <span className="sld-step-host">{host}</span>
                <span className="sld-step-path">{path}</span>
              </span>
              <span className="sld-step-label" title={label.title}>
                {label.text}
                {step.exchange.rewrittenFrom && (
                  <span className="sld-chip sld-chip-rewritten">rewritten by extension</span>
                )}
                {step.durationMs !== undefined && (
                  <span className="sld-muted"> {formatDuration(step.durationMs)}</span>
                )}
              </span>
            </button>
            {isOpen && <StepDetail step={step} unanswered={unanswered(step, over)} />}
          </li>
        );
      })}
    </ol>
  );
});

/** A request of a launch that no longer moves, still without its answer: none was recorded. */
function unanswered(step: Step, over: boolean): boolean {
  return over && step.exchange.phase === 'pending' && !step.exchange.error;
}
