import { useCallback, useRef } from 'react';
import type { StripRuleState } from '../../utils/dnr/types';

/**
 * Reading the strip rule's state from the background, for the popup and the launch log alike. A read
 * that fails (the background was restarting) leaves the state unknown; `readIfUnknown`, called on each
 * change notice (the background answers again), then reads it once more, until a read succeeds.
 * `read`, `done` and `failed` are read when a read starts and ends, not when the hook is made.
 */
export function useStripRuleRead(handlers: {
  read: () => Promise<StripRuleState>;
  done: (state: StripRuleState) => void;
  failed: (error: unknown) => void;
}): { readRule: () => Promise<void>; readIfUnknown: () => void } {
  const latest = useRef(handlers);
  latest.current = handlers;
  const unknown = useRef(false);
  const readRule = useCallback(
    () =>
      latest.current.read().then(
        (state) => {
          unknown.current = false;
          latest.current.done(state);
        },
        (error: unknown) => {
          unknown.current = true;
          latest.current.failed(error);
        },
      ),
    [],
  );
  const readIfUnknown = useCallback(() => {
    if (unknown.current) void readRule();
  }, [readRule]);
  return { readRule, readIfUnknown };
}
