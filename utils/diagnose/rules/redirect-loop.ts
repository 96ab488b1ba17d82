import type { Step } from '../../model';
import { clearSession, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Visiting the same authorization URL this often within one launch is a loop, not a retry. */
export const REDIRECT_LOOP_MIN_VISITS = 3;
const LOOPING = new Set(['authorize', 'loading-page', 'session-api', 'idp-login', 'other']);

export const redirectLoop: Rule = {
  id: 'redirect-loop',
  severity: 'error',
  title: 'Redirect loop during sign-in',
  detect(launch, ctx) {
    const visits = new Map<string, Step[]>();
    for (const s of launch.steps) {
      if (!LOOPING.has(s.kind)) continue;
      const key = s.exchange.url;
      const list = visits.get(key) ?? [];
      list.push(s);
      visits.set(key, list);
    }
    const tooMany = launch.steps.find((s) => /ERR_TOO_MANY_REDIRECTS/.test(s.exchange.error ?? ''));
    let worst: Step[] = [];
    for (const list of visits.values()) if (list.length > worst.length) worst = list;
    if (worst.length < REDIRECT_LOOP_MIN_VISITS && !tooMany) return [];
    const first = worst[0] ?? tooMany!;
    return [
      finding(
        this,
        `The browser went through ${first.label} ${worst.length} times${tooMany ? ' until it gave up (too many redirects)' : ''}. A stale or conflicting session for the authorization server is the usual cause.`,
        [
          ev('repeated step', first.label, first),
          ev('visits', worst.length, first),
          ...(tooMany ? [ev('network error', tooMany.exchange.error, tooMany)] : []),
        ],
        [clearSession(), ...relaunch(ctx)],
      ),
    ];
  },
};
