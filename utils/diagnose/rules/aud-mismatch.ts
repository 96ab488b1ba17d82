import { isOracleHost } from '../../capture/relevance';
import { normBase } from '../../launch/correlate';
import type { Finding } from '../../model';
import { getParam } from '../../url';
import { splitUrl } from '../../url/split';
import { findError, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/** `aud` must name the FHIR server the app was launched with (= iss); Oracle requires it. */
export const audMismatch: Rule = {
  id: 'aud-mismatch',
  severity: 'error',
  title: 'aud missing or not equal to iss',
  detect(launch, ctx) {
    if (!ctx.authorize) return [];
    const aud = getParam(ctx.authParams, 'aud');
    const iss =
      getParam(ctx.launchUrl?.decoded, 'iss') ??
      ctx.discovery?.decoded?.base.replace(/\/\.well-known\/.*$/, '');
    const err = findError(launch, ctx, (e) =>
      urnEnds(e, 'audience-required', 'audience-not-white-listed', 'unknown-resource-server'),
    );
    const differs = aud !== undefined && iss !== undefined && normBase(aud) !== normBase(iss);
    // The same base written otherwise (a trailing slash, letter case): most servers take it; one that
    // compares the two as strings refuses it, in words that name the audience.
    const spelled =
      !differs && aud !== undefined && iss !== undefined && aud !== iss
        ? findError(launch, ctx, (e) => /\baud(ience)?\b/i.test(`${e.description ?? ''}`))
        : undefined;
    if (spelled && aud !== undefined && iss !== undefined) {
      const how =
        aud.replace(/\/+$/, '') === iss.replace(/\/+$/, '')
          ? 'only by a trailing slash'
          : aud.toLowerCase() === iss.toLowerCase()
            ? 'only in letter case'
            : 'only in how it is written';
      return [
        finding(
          this,
          `The authorize request sent aud=${aud}, which differs from the iss the app was launched with (${iss}) ${how}. This server compares the two as strings and refused it${spelled.description ? `: “${spelled.description}”` : ''}.`,
          [
            ev('aud sent', aud, ctx.authorize),
            ev('iss of the launch', iss, ctx.launchUrl ?? ctx.discovery),
            ev('server error', spelled.error, spelled.step),
          ],
          [
            advice('Send aud exactly as the iss received on the launch URL, character for character.'),
            ...relaunch(ctx),
          ],
          { title: 'aud not written as iss' },
        ),
      ];
    }
    if (!err && aud !== undefined && !differs) return [];
    if (!err && aud === undefined && !iss) return [];
    if (err && aud !== undefined && iss !== undefined && !differs)
      return [audienceRefused(this, err, aud, iss, ctx)];
    const evidence = [
      ev('aud sent', aud, ctx.authorize),
      ev('iss of the launch', iss, ctx.launchUrl ?? ctx.discovery),
    ];
    if (err) evidence.push(ev('server error', err.urn, err.step));
    // What Oracle does without aud is known (reference, section 7); another server's is not.
    const oracle = isOracleHost(ctx.authorize.decoded?.host ?? splitUrl(ctx.authorize.exchange.url).host);
    const summary =
      aud === undefined
        ? `The authorize request has no aud parameter; SMART requires it${oracle ? ' and Oracle rejects the request without it' : ', and servers that check it refuse the request'}.`
        : `The authorize request sent aud=${aud}, but the app was launched with iss=${iss ?? '(unknown)'}; aud must be that FHIR base URL.`;
    return [
      finding(
        this,
        err ? `${summary} The server refused it.` : summary,
        evidence,
        [advice('Send aud equal to the iss received on the launch URL.'), ...(err ? relaunch(ctx) : [])],
        err ? {} : { severity: 'warning' },
      ),
    ];
  },
};

/**
 * An audience error although aud names the iss of the launch: the server refuses that FHIR base as an
 * audience (not white-listed for the client, or a resource server it does not know), not its spelling.
 */
function audienceRefused(
  rule: Rule,
  err: NonNullable<ReturnType<typeof findError>>,
  aud: string,
  iss: string,
  ctx: RuleContext,
): Finding {
  const notListed = urnEnds(err, 'audience-not-white-listed');
  const unknown = urnEnds(err, 'unknown-resource-server');
  const summary = notListed
    ? `The authorize request sent aud=${aud}, the iss the app was launched with, and the server refused it as an audience it does not allow for this client (audience-not-white-listed): the app is not registered for this FHIR server or tenant.`
    : unknown
      ? `The authorize request sent aud=${aud}, the iss the app was launched with, and the server does not know it as a resource server (unknown-resource-server): the EHR launched the app with a FHIR base this authorization server does not serve.`
      : `The server says aud is required (audience-required), though the authorize request sent aud=${aud}, the iss the app was launched with: check that the request reached the server with aud as sent (not encoded twice, not dropped by a redirect).`;
  return finding(
    rule,
    summary,
    [
      ev('aud sent', aud, ctx.authorize),
      ev('iss of the launch', iss, ctx.launchUrl ?? ctx.discovery),
      ev('server error', err.urn, err.step),
    ],
    [
      advice(
        notListed
          ? "Check the app's registration (Code Console): it must be enabled for this tenant and FHIR server (the product and version of the iss)."
          : unknown
            ? 'Launch from an EHR whose FHIR server this authorization server serves, or check the iss of the launch (tenant and FHIR version in its path).'
            : 'Send aud once, percent-encoded once, in the authorize request.',
      ),
      ...relaunch(ctx),
    ],
    {
      title: notListed
        ? 'FHIR server not allowed for this client'
        : unknown
          ? 'Unknown FHIR server (aud)'
          : 'aud not received by the server',
    },
  );
}
