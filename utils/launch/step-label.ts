import type { Step } from '../model';

/** How a step ended, in a word: its network error, its HTTP status, `…` while pending, `–` when unknown. */
export function stepStatus(step: Pick<Step, 'exchange'>): string {
  const { exchange } = step;
  if (exchange.error) return exchange.error;
  if (exchange.status !== undefined) return String(exchange.status);
  return exchange.phase === 'pending' ? '…' : '–';
}

/**
 * Step labels for display. The engine's labels carry shortened ids ("session-api realm ec24… forceAuthn");
 * in a narrow list the id crowds out what matters (the hop, the flag, the status). Here the id moves to a
 * tooltip and the step detail: "session-api (forceAuthn)", title "realm ec24a1…".
 */
export interface StepLabel {
  /** What the step is, without ids. */
  text: string;
  /** The full ids the text leaves out (tenant, realm, app), for a tooltip; undefined when none. */
  title?: string;
}

const SESSION_API = /\/session-api\/realm\/([^/?#]+)/;
/** A shortened id in an engine label: "ec24…", as a word or in parentheses ("(app 1a2b…)"). */
const SHORT_ID = /\s*\(?\b(realm|app|tenant)\s+[\w-]+…\)?/g;

function pathAndQuery(url: string): { path: string; params: URLSearchParams } {
  try {
    const u = new URL(url);
    return { path: u.pathname, params: u.searchParams };
  } catch {
    return { path: url, params: new URLSearchParams() };
  }
}

export function stepLabel(step: Step): StepLabel {
  const { path, params } = pathAndQuery(step.exchange.url);
  if (step.kind === 'session-api') {
    const realm = SESSION_API.exec(path)?.[1];
    const forced = params.get('forceAuthn') === 'true' || /\bforceAuthn\b/.test(step.label);
    return {
      text: forced ? 'session-api (forceAuthn)' : 'session-api',
      title: realm ? `realm ${decodeURIComponent(realm)}` : undefined,
    };
  }
  const ids = [...step.label.matchAll(SHORT_ID)].map((m) => m[0].trim().replace(/^\(|\)$/g, ''));
  if (ids.length === 0) return { text: step.label };
  const text = step.label.replace(SHORT_ID, '').replace(/\s+/g, ' ').trim();
  return { text: text || step.label, title: ids.join(' · ') };
}

/** "session-api (forceAuthn) → 400": the step and how it ended, for the list row of a failed launch. */
export function failingStepText(step: Step): string {
  return `${stepLabel(step).text} → ${stepStatus(step)}`;
}
