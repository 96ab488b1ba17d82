import type { Finding, Launch, Step } from '../../model';
import { findError, saidByServer, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';
import { pkceBroken } from './pkce';
import { redirectUriDiffers } from './redirect-uri-mismatch';

/**
 * Codes are single-use and short-lived. Token requests are matched by the code's fingerprint
 * (secretFacts.codeFingerprint, computed at capture): masked codes of one length and prefix look alike.
 */
/** A token request this soon after its callback did not wait long enough for its code to expire. */
export const PROMPT_MS = 60_000;

export const codeReuse: Rule = {
  id: 'code-reuse',
  severity: 'error',
  title: 'Authorization code reused',
  detect(launch, ctx) {
    const byCode = new Map<string, Step[]>();
    for (const t of ctx.tokens) {
      const fp = t.exchange.secretFacts?.codeFingerprint;
      if (fp) byCode.set(fp, [...(byCode.get(fp) ?? []), t]);
    }
    const reused = [...byCode.values()].find((list) => list.length > 1);
    if (reused) {
      const [first, ...rest] = reused as [Step, ...Step[]];
      const refused = rest.find((t) => t.failed);
      const evidence = [
        ev('first exchange', `${first.exchange.status ?? first.exchange.error ?? '?'}`, first),
        ...rest.map((t) => ev('same code again', `${t.exchange.status ?? t.exchange.error ?? '?'}`, t)),
      ];
      const reload = reloadBetween(ctx.callbacks, first, rest.at(-1)!);
      if (reload) {
        const after = Math.round((reload.exchange.startedAt - first.exchange.startedAt) / 1000);
        evidence.push(ev('callback page loaded again', `${after} s after the first exchange`, reload));
      }
      // The first request got no answer (a reset, a timeout): the app retried a request the server may
      // already have carried out.
      const lost = first.exchange.status === undefined && !!first.exchange.error;
      // A gateway's error (502–504) says nothing of whether the server behind it used the code.
      const gateway =
        first.exchange.status !== undefined && first.exchange.status >= 502 && first.exchange.status <= 504;
      const fixes = [
        advice(
          (lost || gateway) && !reload
            ? 'Do not send a token request again when its answer was lost: the server may have used the code already. Start a new authorization instead.'
            : reload
              ? 'Remove code and state from the address once the code is exchanged (history.replaceState), as fhirclient does, so a reload or the back button does not send the code again.'
              : 'Exchange each code exactly once (guard the token request against running twice).',
        ),
      ];
      const cause = reload
        ? ' The callback page was loaded again (reload or back button) with the code still in its address, and the app sent it again.'
        : lost
          ? ` The first request got no answer (${first.exchange.error}) and the app sent it again; the server had most likely used the code already.`
          : gateway
            ? ` The first request failed with ${first.exchange.status} (a gateway's error, which says nothing of the server behind it) and the app sent it again; that server had most likely used the code already.`
            : '';
      if (refused) {
        const error = ctx.tokenBodies.get(refused.exchange.id);
        // The first exchange got a token, and FHIR requests after the refused repeat succeeded: the
        // app went on with that token, which this server did not revoke.
        const wentOn =
          first.exchange.status !== undefined &&
          first.exchange.status >= 200 &&
          first.exchange.status < 300 &&
          ctx.fhir.some(
            (f) =>
              f.exchange.startedAt > refused.exchange.startedAt &&
              f.exchange.status !== undefined &&
              f.exchange.status >= 200 &&
              f.exchange.status < 300,
          );
        return [
          finding(
            this,
            wentOn
              ? `The app exchanged the same authorization code ${reused.length} times; codes are single-use, so the server refused the repeat${error?.kind === 'error' ? ` (${error.value.error})` : ''}. The app went on with the first exchange's token, which this server did not revoke: its FHIR requests after the refusal succeeded. A server that revokes the tokens issued for a code used twice, as RFC 6749 §4.1.2 says it should, breaks this launch.${cause || ' Usually a double call, e.g. an effect run twice (React StrictMode does in development).'}`
              : `The app exchanged the same authorization code ${reused.length} times; codes are single-use, so the server refused the repeat${error?.kind === 'error' ? ` (${error.value.error})` : ''}, and servers may revoke the tokens already issued for that code.${cause || ' Usually a double call, e.g. an effect run twice.'}`,
            evidence,
            wentOn ? fixes : [...fixes, ...relaunch(ctx)],
            wentOn ? { severity: 'warning' } : {},
          ),
        ];
      }
      return [
        finding(
          this,
          lost
            ? `The app sent the same authorization code ${reused.length} times and the server accepted the repeat; the first request got no answer (${first.exchange.error}), so whether it reached the server is not known. Codes are single-use (RFC 6749): if it did, a conformant server refuses the repeat.`
            : `The app exchanged the same authorization code ${reused.length} times and the server accepted each; codes must be single-use (RFC 6749), so a conformant server refuses the repeat.${cause}`,
          evidence,
          fixes,
          { severity: 'warning', title: 'Authorization code exchanged twice' },
        ),
      ];
    }
    const err = findError(
      launch,
      ctx,
      // The newer spelling seen in current docs and traffic, and the published one (code:invalid).
      (e) => e.step.kind === 'token' && urnEnds(e, 'code-invalid-or-expired', 'oauth2:token:code:invalid'),
    );
    if (!err) {
      const late = lateCode(launch, ctx);
      return late.length ? late : reloadUnseen(ctx);
    }
    // Oracle's published `code:invalid` also answers a verifier that does not fit: rule pkce explains that.
    if (urnEnds(err, 'oauth2:token:code:invalid') && ctx.authorize && pkceBroken(ctx, err.step)) return [];
    // A token request whose redirect_uri is not the authorize request's is refused for it (RFC 6749
    // §4.1.3): rule redirect-uri-mismatch names it, as an error when the request failed.
    if (redirectUriDiffers(ctx, err.step)) return [];
    const cb = ctx.callbacks[0];
    const delay = cb ? err.step.exchange.startedAt - cb.exchange.startedAt : undefined;
    // Sent within a minute of the callback: too soon for a code to expire (codes live minutes).
    const prompt = delay !== undefined && delay < PROMPT_MS;
    return [
      finding(
        this,
        `The token endpoint said the code is invalid or expired${delay !== undefined ? ` (${Math.round(delay / 1000)} s after the callback)` : ''}.${prompt ? ' That is too soon for the code to expire: most likely something else exchanged it first (the app’s server, another tab), or the request did not carry the code, client_id or redirect_uri exactly as the authorization had them.' : ''}`,
        [
          ev('server error', err.urn, err.step),
          ...(delay !== undefined ? [ev('time from callback to token request', `${delay} ms`, cb)] : []),
        ],
        [
          advice(
            prompt
              ? 'Check that only one party exchanges the code, and that the token request sends it as received, with the client_id and redirect_uri of the authorize request.'
              : 'Exchange the code right after the callback, once.',
          ),
          ...relaunch(ctx),
        ],
        { title: 'Authorization code invalid or expired' },
      ),
    ];
  },
};

/**
 * Another server's plain `invalid_grant` (no Oracle URN) for a code sent a minute or more after its
 * callback, when nothing else the capture shows explains it (a code sent twice is the rule's first
 * reading; a verifier that does not fit is rule pkce's, another redirect_uri rule redirect-uri-mismatch's):
 * the code most likely expired. Sooner than that, invalid_grant says too little to tell (the generic
 * reading, rule unexplained-failure).
 */
function lateCode(launch: Launch, ctx: RuleContext): Finding[] {
  const err = findError(launch, ctx, (e) => e.step.kind === 'token' && e.error === 'invalid_grant' && !e.urn);
  if (!err) return [];
  // The callback that brought this code (by its fingerprint), else the last one before the request.
  const at = err.step.exchange.startedAt;
  const fp = err.step.exchange.secretFacts?.codeFingerprint;
  const before = ctx.callbacks.filter((c) => c.exchange.startedAt <= at);
  const cb = (fp && before.find((c) => c.exchange.secretFacts?.codeFingerprint === fp)) || before.at(-1);
  if (!cb) return [];
  const delay = at - cb.exchange.startedAt;
  if (delay < PROMPT_MS) return [];
  if ((ctx.authorize && pkceBroken(ctx, err.step)) || redirectUriDiffers(ctx, err.step)) return [];
  const s = Math.round(delay / 1000);
  const spoken = s >= 120 ? `${s} s (${Math.floor(s / 60)} min ${s % 60} s)` : `${s} s`;
  return [
    finding(
      codeReuse,
      `The token endpoint refused the code (invalid_grant) ${spoken} after the callback. Codes live briefly (RFC 6749 §4.1.2 recommends at most 10 minutes; many servers give a minute or less), so it most likely expired before the app exchanged it.${saidByServer(err.description)}`,
      [
        ev('server error', err.error!, err.step),
        ev('time from callback to token request', `${delay} ms`, cb),
      ],
      [
        advice(
          'Exchange the code right after the callback, once (a breakpoint or a slow step between the two lets it expire).',
        ),
        ...relaunch(ctx),
      ],
      { title: 'Authorization code expired' },
    ),
  ];
}

/**
 * A load of the callback page carrying the same code (by fingerprint) after the first token request and
 * before the last: the page was loaded again (reload, back button) and exchanged the code it still showed.
 */
function reloadBetween(callbacks: Step[], first: Step, last: Step): Step | undefined {
  const fp = first.exchange.secretFacts?.codeFingerprint;
  return callbacks.find(
    (c) =>
      c.exchange.secretFacts?.codeFingerprint === fp &&
      c.exchange.startedAt > first.exchange.startedAt &&
      c.exchange.startedAt < last.exchange.startedAt,
  );
}

/**
 * The callback page loaded again with the same code (by fingerprint: a reload, the back button) where the
 * app's token requests cannot be seen (its origin not watched, DevTools closed): an app that exchanges
 * the code on load sent it again, and the server refuses the repeat. Said as likely, not as seen; where
 * the token requests are visible and none followed the reload, the app did not send it again.
 */
function reloadUnseen(ctx: RuleContext): Finding[] {
  const [first, ...later] = ctx.callbacks;
  const fp = first?.exchange.secretFacts?.codeFingerprint;
  if (!first || !fp) return [];
  const again = later.filter((c) => c.exchange.secretFacts?.codeFingerprint === fp);
  if (again.length === 0) return [];
  // Token requests seen: the same code sent again is the rule's first reading; none sent again, nothing.
  if (ctx.tokens.length > 0) return [];
  const after = Math.round((again[0]!.exchange.startedAt - first.exchange.startedAt) / 1000);
  return [
    finding(
      codeReuse,
      `The callback page was loaded ${again.length + 1} times with the same code (a reload or the back button ${after} s after the first load, the code still in its address). An app that exchanges the code on load sent it again, and the server refuses the repeat (codes are single-use); the token requests themselves are not visible here.`,
      [
        ev('callback', first.label, first),
        ...again.map((c) =>
          ev(
            'same code again',
            `${Math.round((c.exchange.startedAt - first.exchange.startedAt) / 1000)} s later`,
            c,
          ),
        ),
      ],
      [
        advice(
          'Remove code and state from the address once the code is exchanged (history.replaceState), as fhirclient does, so a reload or the back button does not send the code again.',
        ),
      ],
      { severity: 'warning', title: 'Callback loaded again with the same code' },
    ),
  ];
}
