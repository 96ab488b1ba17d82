import type { LaunchProblem } from './explain';

/*
 * fhirclient keeps the launch state in sessionStorage, which is per origin (scheme + host + port) and per
 * tab. Both "state" errors mean the callback page cannot see what the authorize page stored, unless the
 * tab still holds its launch under another state: then the server changed the state (stateChanged()).
 */

const ORIGIN_CAUSES = [
  'The launch started on one origin and the redirect_uri points at another: localhost vs 127.0.0.1, http vs https, or a different port.',
  'The callback opened in a new tab or window (sessionStorage is per tab), or in a private window.',
  'Site data was cleared, or the browser blocks storage for this site.',
];

export function stateMissing(details: LaunchProblem['details'], origin?: string): LaunchProblem {
  return {
    kind: 'state-missing',
    title: 'No launch in progress',
    summary:
      'This page is the redirect target, but it was opened without a state parameter and this tab holds no earlier launch.',
    causes: [
      'The page was opened directly (bookmark, reload after closing the tab) instead of by the authorization server.',
      ...ORIGIN_CAUSES,
    ],
    fixes: ['Start again from the launcher or from the EHR.'],
    details: origin ? [...details, { label: "this page's origin", value: origin }] : details,
  };
}

export function stateLost(details: LaunchProblem['details'], origin?: string): LaunchProblem {
  return {
    kind: 'state-lost',
    title: 'Launch state lost',
    summary:
      'The authorization server sent the browser back with a state this tab does not know, so the code cannot be exchanged.',
    causes: [
      ...ORIGIN_CAUSES,
      'The same callback URL was opened twice (e.g. from history) after the state was used.',
    ],
    fixes: [
      `Register and use a redirect_uri on exactly the origin the launch starts from${origin ? ` (${origin})` : ''}.`,
      'Relaunch in one tab, without switching between localhost and 127.0.0.1.',
    ],
    details: origin ? [...details, { label: "this page's origin", value: origin }] : details,
  };
}

/** The first characters of a state, enough to tell two apart in a screenshot without handing it out. */
function masked(state: string): string {
  return `${state.slice(0, Math.min(4, Math.floor(state.length / 4)))}…`;
}

/** How the returned state differs from the one sent, in lengths and prefixes (never the values). */
function howChanged(sent: string, returned: string): { line: string; truncatedTo?: number } {
  const s = sent.length;
  const r = returned.length;
  if (sent.startsWith(returned))
    return {
      line: `The state came back cut short: ${r} of the ${s} characters sent, the first ${r} unchanged. Truncating state (to fit a database column or a fixed-size field) is a common server bug.`,
      truncatedTo: r,
    };
  if (returned.startsWith(sent))
    return {
      line: `The state came back longer: the ${s} characters sent, followed by ${r - s} more the server added.`,
    };
  if (r === s)
    return {
      line: `The state came back with the same length (${s} characters) but other characters: the server re-encoded or replaced it.`,
    };
  return {
    line: `The state came back different: ${r} characters against the ${s} sent, and neither is the start of the other.`,
  };
}

/**
 * The callback's state is unknown, but this tab still holds its own launch under the state it sent: the
 * tab, origin and storage are fine, and the authorization server answered with another state.
 */
export function stateChanged(
  sent: string,
  returned: string,
  details: LaunchProblem['details'],
): LaunchProblem {
  const { line, truncatedTo } = howChanged(sent, returned);
  const related = sent.startsWith(returned) || returned.startsWith(sent);
  return {
    kind: 'state-changed',
    title: 'The server changed the state',
    summary:
      'The authorization server sent the browser back with a different state than the one this tab sent. This tab still holds its launch under the state it sent, so nothing was lost on this side: the app refuses a state it did not send, as OAuth requires to stop cross-site request forgery (RFC 6749 §10.12).',
    causes: [
      line,
      ...(related
        ? []
        : [
            'Less likely: an older callback URL (from the history, or another launch) was opened while this tab had started a newer launch.',
          ]),
    ],
    fixes: [
      'Server side: return state exactly as it was sent, character for character (RFC 6749 §4.1.2); do not truncate, re-encode or replace it.',
      `There is no client-side fix to rely on: the companion sends a ${sent.length}-character state (256 random bits) and has no setting for a shorter one. fhirclient takes whatever state an app passes (its stateKey option; without one it makes 16 characters from Math.random)${
        truncatedTo !== undefined
          ? `, so an app whose state has ${truncatedTo} characters or fewer gets through this server`
          : ''
      }, but a short state is weaker protection and the server is still wrong.`,
      'Changing the redirect_uri or the origin does not help: this tab kept its launch, so they are not the cause.',
    ],
    details: [
      ...details,
      { label: 'state sent', value: `${sent.length} characters, starting ${masked(sent)}` },
      { label: 'state returned', value: `${returned.length} characters, starting ${masked(returned)}` },
    ],
  };
}
