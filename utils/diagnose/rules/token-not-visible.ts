import { codeHandoff } from '../../launch/refine';
import type { Step } from '../../model';
import { getParam } from '../../url';
import { originOf } from '../../url/split';
import { relaunch, watchOrigin } from '../fixes';
import type { RuleContext } from '../types';
import { ev, finding, type Rule } from '../types';

/**
 * The callback with a code whose token request the recorder cannot have seen: the app's origin is not
 * known to be watched, and the page was not recorded another way (DevTools open, a HAR file). The
 * launch is then `authorized` (utils/launch/status.ts) and this finding offers to watch the origin.
 */
export function hiddenTokenCallback(ctx: RuleContext): Step | undefined {
  if (ctx.tokens.length) return undefined;
  const cb = ctx.callbacks.find((c) => getParam(c.decoded, 'code') !== undefined);
  if (!cb || cb.exchange.source === 'har' || cb.exchange.source === 'devtools') return undefined;
  if (unwatchedWhenLoaded(cb)) return cb;
  return ctx.hasHostPermission(originOf(cb.exchange.url)) === true ? undefined : cb;
}

/**
 * The callback page was seen only as a navigation: webRequest sees the pages of a watched origin, so
 * the origin was not watched when this launch ran, whatever the recorder holds now (watching it later
 * does not make the old launch's token request visible).
 */
export function unwatchedWhenLoaded(cb: Step): boolean {
  return cb.exchange.source === 'webNavigation';
}

/** Steps the recorder could not see because the app's origin is not a watched host. */
export const tokenNotVisible: Rule = {
  id: 'token-not-visible',
  severity: 'info',
  title: 'Some requests of the app were not visible',
  detect(launch, ctx) {
    // state-lost already named a definite cause (origin, state or tab changed at the callback).
    let cb = ctx.findings.some((f) => f.ruleId === 'state-lost') ? undefined : hiddenTokenCallback(ctx);
    // Handed to the app's backend: there was no token request in the browser to see.
    if (cb && codeHandoff(launch.steps, cb)) cb = undefined;
    const partial = cb ? undefined : launch.steps.find((s) => s.exchange.partial);
    if (!partial && !cb) return [];
    const origin = cb
      ? originOf(cb.exchange.url)
      : (partial!.exchange.initiator ?? originOf(partial!.exchange.url));
    const watchedNow = ctx.hasHostPermission(origin) === true;
    const known = ctx.hasHostPermission(origin) === false;
    if (cb && watchedNow) {
      return [
        finding(
          this,
          `The code reached ${origin}, but its token request was not visible: ${origin} was not watched when this launch ran (it is now). Relaunch to see the token exchange and FHIR calls.`,
          [ev('callback without visible token request', cb.label, cb)],
          relaunch(ctx),
          { severity: 'warning', title: 'Token exchange not visible' },
        ),
      ];
    }
    return [
      finding(
        this,
        cb
          ? `The code reached ${origin}, but its token request was not visible: requests sent by pages of ${origin} are only recorded once that origin is watched (or while DevTools is open on the tab)${known ? '' : ', and it may not be watched'}. Watch it and relaunch to see the token exchange and FHIR calls.`
          : `Requests sent by pages of ${origin} (the token request, FHIR calls) are only visible once that origin is watched, so this launch may look less complete than it was.`,
        [
          cb
            ? ev('callback without visible token request', cb.label, cb)
            : ev('partly recorded', partial!.label, partial!),
        ],
        [watchOrigin(origin)],
        cb ? { severity: 'warning', title: 'Token exchange not visible' } : {},
      ),
    ];
  },
};
