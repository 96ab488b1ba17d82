import type { LaunchProblem } from './explain';

/*
 * fhirclient keeps the launch state in sessionStorage, which is per origin (scheme + host + port) and per
 * tab. Both "state" errors mean the callback page cannot see what the authorize page stored.
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
