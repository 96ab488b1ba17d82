import type { Step } from '../../model';
import { ev, finding, type Rule } from '../types';

/** At most this many steps are cited; the summary counts them all. */
const CITED = 3;

/**
 * Events of a live recording that never reached the extension: Chrome stopped its background worker as
 * they were sent (it does so when idle, on updates, or when told to), and events dispatched to a stopping
 * worker can be lost. What is left shows it: a request known only from the previous hop's redirect
 * (Exchange.inferred), or one whose answer never came although the launch went on and has settled. The
 * steps and timings around them may be incomplete, which the reader should know before trusting a gap.
 */
export const eventsLost: Rule = {
  id: 'events-lost',
  severity: 'info',
  title: 'Some events were not recorded',
  detect(launch, ctx) {
    const steps = launch.steps;
    const inferred: Step[] = [];
    const unanswered: Step[] = [];
    const bodiless: Step[] = [];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      if (s.exchange.source !== 'webRequest') continue;
      if (s.exchange.inferred) inferred.push(s);
      else if (
        s.exchange.phase === 'pending' &&
        (i < steps.length - 1 ? ctx.settled : !s.exchange.error && closedAfter(s, steps))
      )
        unanswered.push(s);
      // A token request is recorded with its form from its start event: without one, that event was lost.
      else if ((s.kind === 'token' || s.kind === 'refresh') && s.exchange.form === undefined)
        bodiless.push(s);
    }
    if (inferred.length + unanswered.length + bodiless.length === 0) return [];
    const parts: string[] = [];
    if (inferred.length)
      parts.push(
        `${count(inferred.length)} known only from the redirect before ${inferred.length === 1 ? 'it' : 'them'}`,
      );
    if (unanswered.length)
      parts.push(`${count(unanswered.length)} without ${unanswered.length === 1 ? 'its' : 'their'} answer`);
    if (bodiless.length)
      parts.push(
        `${count(bodiless.length)} without ${bodiless.length === 1 ? 'its' : 'their'} request body (what ${bodiless.length === 1 ? 'it' : 'they'} sent is unknown)`,
      );
    return [
      finding(
        this,
        `Part of this launch did not reach the extension: ${parts.join(', and ')}. Chrome stops the extension's background worker (when idle, on an update, or when told to), and the events it sends as the worker stops can be lost; the steps and timings around these may be incomplete too.`,
        [
          ...inferred.slice(0, CITED).map((s) => ev('known from a redirect only', s.label, s)),
          ...unanswered.slice(0, CITED).map((s) => ev('no answer recorded', s.label, s)),
          ...bodiless.slice(0, CITED).map((s) => ev('no request body recorded', s.label, s)),
        ],
      ),
    ];
  },
};

/**
 * The step's tab was closed after it was sent: the browser then aborts what the page had in flight and
 * says so (an error event), so a step still without any answer lost its events.
 */
function closedAfter(step: Step, steps: readonly Step[]): boolean {
  const { tabId, startedAt } = step.exchange;
  return steps.some(
    (s) =>
      s.exchange.tabId === tabId &&
      s.exchange.tabClosedAt !== undefined &&
      s.exchange.tabClosedAt >= startedAt,
  );
}

function count(n: number): string {
  return n === 1 ? '1 step' : `${n} steps`;
}
