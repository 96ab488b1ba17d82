import { getParam } from '../../url';
import { findError, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** A launch value sent this long after the EHR issued it may have expired. */
const LATE_MS = 5 * 60_000;

export const launchInvalid: Rule = {
  id: 'launch-invalid',
  severity: 'error',
  title: 'launch parameter missing or invalid',
  detect(launch, ctx) {
    // Oracle's published spellings: smart-v1:grant:launch:launch-code-required / :invalid-code.
    const err = findError(launch, ctx, (e) =>
      urnEnds(e, 'launch:launch-code-required', 'launch:invalid-code'),
    );
    if (!err) return [];
    const sent = getParam(ctx.authParams, 'launch');
    const received = getParam(ctx.launchUrl?.decoded, 'launch');
    const missing = urnEnds(err, 'launch-code-required');
    // No EHR launch in the recording (no launch value on a launch URL, no EHR app start): most likely a
    // standalone launch, which has no launch value to send and asks for launch/patient instead.
    const standalone = missing && received === undefined && !ctx.ehrStart;
    // The same launch value sent long after the EHR issued it: launch codes are short-lived.
    const issuedAt = (ctx.ehrStart ?? ctx.launchUrl)?.exchange.startedAt;
    const age =
      !missing && sent && sent === received && issuedAt !== undefined && ctx.authorize
        ? ctx.authorize.exchange.startedAt - issuedAt
        : undefined;
    const late = age !== undefined && age >= LATE_MS;
    // The app passed on what the EHR gave it, unchanged: the value itself was not good (reused by a reload
    // or a bookmark of the launch URL, expired, or not of this server), not the app's handling of it.
    const passedOn = !missing && !late && sent !== undefined && sent === received;
    const pass = advice(
      late
        ? 'Launch the app again from the EHR and authorize right away: a launch value is good for minutes, once.'
        : passedOn
          ? 'Launch the app again from the EHR for a fresh launch value (a launch URL opened again — a reload, a bookmark, Back — carries a spent one); the app passed it on correctly.'
          : `${standalone ? 'If the EHR launched the app: p' : 'P'}ass the launch value from the launch URL to authorize unchanged, once.`,
    );
    const scope = advice(
      'For a standalone launch, request launch/patient (or launch/encounter) instead of the launch scope.',
    );
    return [
      finding(
        this,
        standalone
          ? 'The authorize request asked for the launch scope without a launch value. The launch scope is for EHR launches, which pass a launch value on the launch URL; none was recorded, so this looks like a standalone launch, which asks for launch/patient instead.'
          : missing
            ? 'The server needs the launch value the EHR passed on the launch URL, but the authorize request did not carry it.'
            : late
              ? `The server does not recognise launch=${sent}, the value the EHR passed, sent ${Math.round(age! / 60_000)} min after the EHR launched the app: launch values are short-lived, so it most likely expired (or was used already).`
              : passedOn
                ? `The server does not recognise launch=${sent}, the value the launch URL carried, which the app passed on unchanged: the value itself was not good (already used — the launch URL opened again by a reload, a bookmark or Back — expired, or issued for another server).`
                : `The server does not recognise launch=${sent ?? '(none)'}${received && received !== sent ? ` (the EHR sent launch=${received})` : ''}; it was invented, altered, reused or has expired.`,
        [
          ev('launch sent', sent, ctx.authorize),
          ev('launch received', received, ctx.launchUrl),
          ...(standalone ? [ev('scope', getParam(ctx.authParams, 'scope'), ctx.authorize)] : []),
          ...(late
            ? [ev('time from launch to authorize', `${Math.round(age! / 1000)} s`, ctx.authorize)]
            : []),
          ev('server error', err.urn, err.step),
        ],
        [...(standalone ? [scope, pass] : [pass]), ...relaunch(ctx)],
        { title: missing ? 'launch parameter missing' : 'launch parameter invalid' },
      ),
    ];
  },
};
