import { codeHandoff, serverSideCallback } from '../../launch/refine';
import type { Step } from '../../model';
import { getParam } from '../../url';
import { originOf } from '../../url/split';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';
import { hiddenTokenCallback } from './token-not-visible';

/**
 * The app reached its callback with a code but never exchanged it. fhirclient keeps its state in
 * sessionStorage, which is per origin and per tab, so a callback on another origin (localhost vs
 * 127.0.0.1, http vs https) or in another tab finds nothing ("No state found"). A popup the launch
 * tab opened shares its state (sameSession()).
 */
export const stateLost: Rule = {
  id: 'state-lost',
  severity: 'error',
  title: 'App lost its launch state at the callback',
  detect(launch, ctx) {
    const cb = ctx.callbacks.find((c) => getParam(c.decoded, 'code'));
    if (!cb || ctx.tokens.length || !ctx.settled) return [];
    // The browser closed after the callback: the token request may have gone unrecorded (status.ts says so).
    if (ctx.cutAt !== undefined) return [];
    // The app found its state and handed the code to its backend, which exchanges it (refine.ts).
    if (codeHandoff(launch.steps, cb)) return [];
    // Its server took the code and redirected into the app: it exchanges the code itself (refine.ts).
    if (serverSideCallback(cb, launch.authHost)) return [];
    const cbOrigin = originOf(cb.exchange.url);
    const startOrigin = ctx.launchUrl ? originOf(ctx.launchUrl.exchange.url) : undefined;
    const sentState = getParam(ctx.authParams, 'state');
    const gotState = getParam(cb.decoded, 'state');
    const evidence = [ev('callback', cb.exchange.url.split('?')[0], cb)];
    if (startOrigin && startOrigin !== cbOrigin) {
      evidence.push(
        ev('launch page origin', startOrigin, ctx.launchUrl),
        ev('callback origin', cbOrigin, cb),
      );
      return [
        finding(
          this,
          `The app started on ${startOrigin} but the server sent the user back to ${cbOrigin}. Browser storage is per origin, so the app cannot find the state it saved and never asks for a token.`,
          evidence,
          [
            advice(
              `Use the same origin for the launch URL and redirect_uri (register ${startOrigin}/… or launch from ${cbOrigin}).`,
            ),
            ...relaunch(ctx),
          ],
        ),
      ];
    }
    if (sentState !== undefined && gotState !== sentState) {
      evidence.push(ev('state sent', sentState, ctx.authorize), ev('state returned', gotState, cb));
      const { how, fix } = stateChange(sentState, gotState);
      return [
        finding(
          this,
          `The state returned to the callback differs from the one sent to authorize${how}, so the app rejects the callback.`,
          evidence,
          [...(fix ? [advice(fix)] : []), ...relaunch(ctx)],
          { title: 'state mismatch at the callback' },
        ),
      ];
    }
    if (ctx.launchUrl && !sameSession(ctx.launchUrl.exchange.tabId, cb, ctx.callbacks)) {
      evidence.push(
        ev('launch tab', ctx.launchUrl.exchange.tabId, ctx.launchUrl),
        ev('callback tab', cb.exchange.tabId, cb),
      );
      return [
        finding(
          this,
          'The callback opened in another tab than the launch; sessionStorage is per tab, so the app cannot find its state.',
          evidence,
          [
            advice('Complete the authorization in the tab that started it (fhirclient: completeInTarget).'),
            ...relaunch(ctx),
          ],
        ),
      ];
    }
    // Not watched or not known to be, or the app used a token the recorder did not see it get:
    // token-not-visible explains it and offers to watch the origin.
    if (hiddenTokenCallback(ctx, launch.steps)) return [];
    return [
      finding(
        this,
        'The callback was reached with a code but no token request followed, although it would have been recorded. The app most likely lost its saved state (or exchanged the code on its server).',
        evidence,
        [
          advice(
            'Check the app console for "No state found"; keep launch and callback on one origin and tab.',
          ),
        ],
      ),
    ];
  },
};

/**
 * The callback can read the launch tab's sessionStorage: it loaded in that tab, or in a popup that tab
 * opened (window.open copies the opener's sessionStorage into the popup; fhirclient's `target: 'popup'`),
 * or a callback with a code loaded in that tab later (fhirclient hands the popup's URL to its opener).
 */
function sameSession(launchTab: number, cb: Step, callbacks: readonly Step[]): boolean {
  if (cb.exchange.tabId === launchTab || cb.exchange.openerTabId === launchTab) return true;
  return callbacks.some((c) => c.exchange.tabId === launchTab && getParam(c.decoded, 'code') !== undefined);
}

/** RFC 6749 §4.1.2: the authorization response carries the state exactly as the client sent it. */
const RETURN_EXACTLY = 'RFC 6749 §4.1.2 requires the state returned exactly as sent';

/**
 * How the state came back changed, and what to do: a server that cuts it, drops it or re-encodes it is
 * at fault (the app can only work around it); an unrelated state is the callback of another authorization.
 */
function stateChange(sent: string, got: string | undefined): { how: string; fix?: string } {
  if (got === undefined || got === '')
    return {
      how: ': the server returned no state',
      fix: `Report it to the server’s operators (${RETURN_EXACTLY}).`,
    };
  if (sent.startsWith(got))
    return {
      how: `: the server cut it to ${got.length} of its ${sent.length} characters`,
      fix: `Report it to the server’s operators (${RETURN_EXACTLY}); until then, a state of at most ${got.length} characters comes back whole.`,
    };
  let decoded = got;
  try {
    decoded = decodeURIComponent(got);
  } catch {
    // Not percent-encoded text: compared as it is.
  }
  // A `+` the app encoded (%2B) that the server echoed raw: in a query a raw `+` reads as a space.
  if (sent.includes('+') && got.replace(/ /g, '+') === sent)
    return {
      how: ': the server returned its "+" unencoded, and a raw "+" in a URL query reads as a space',
      fix: `Report it to the server’s operators (${RETURN_EXACTLY}); until then, a state of URL-safe characters only (letters, digits, - and _; Base64url, not Base64) comes back unchanged.`,
    };
  if (decoded === sent || got === encodeURIComponent(sent))
    return {
      how: ': the server changed its percent-encoding',
      fix: `Report it to the server’s operators (${RETURN_EXACTLY}); until then, a state of URL-safe characters only (letters, digits, - and _) comes back unchanged.`,
    };
  return {
    how: ': it is another state, so the callback answers another authorization (a second launch in the tab, an old or bookmarked link)',
  };
}
