import { explainError, findOracleUrn } from '../../smart/oracle-errors';
import { formValue } from '../../url/query';
import { tokenBody } from '../context';
import { errorDescription, saidByServer } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/**
 * The app's refresh token request was refused, and no later one succeeded: the launch got its token,
 * but the session ends when that access token expires (FHIR answers 401 then). Oracle says why in a URN
 * (`…:refresh-token:session-invalid` when the user's session has ended); other servers in `error` and
 * `error_description` (RFC 6749 §5.2).
 */
export const refreshRefused: Rule = {
  id: 'refresh-refused',
  severity: 'error',
  title: 'Token refresh refused',
  detect(launch, ctx) {
    const refreshes = launch.steps.filter((s) => s.kind === 'refresh');
    const refused = refreshes.findLast((s) => s.failed);
    if (!refused) return [];
    // A refresh that succeeded after it: the app recovered (signed in again, or retried).
    const at = refused.exchange.startedAt;
    if (refreshes.some((s) => !s.failed && s.exchange.startedAt > at)) return [];
    // Refresh bodies are not among the launch's token bodies (ctx.tokenBodies): parsed here.
    const body = refused.exchange.body ? tokenBody(refused.exchange) : undefined;
    const error = body?.kind === 'error' ? body.value : undefined;
    const urn = findOracleUrn(error?.error_uri) ?? findOracleUrn(error?.error_description);
    // A refresh before it that succeeded and brought a new refresh token: the server rotates them, and
    // the old one no longer works (RFC 9700 §4.14.2); an app that keeps the first one is refused.
    const rotated = refreshes.findLast((s) => {
      if (s.failed || s.exchange.startedAt >= at || !s.exchange.body) return false;
      const answer = tokenBody(s.exchange);
      return answer?.kind === 'token' && !!answer.value.refresh_token;
    });
    // The refresh named another client than the one the launch was authorized for: a refresh token is
    // bound to the client it was issued to (RFC 6749 §6), whatever else is right.
    const sentClient = formValue(refused.exchange.form, 'client_id');
    const otherClient =
      sentClient && launch.clientId && sentClient !== launch.clientId ? sentClient : undefined;
    // offline_access granted already: asking for it is no way out.
    // (A token's scope claim may leave it out: only the token response's grant says it was not granted.)
    const offline = ((ctx.grantedBy ? undefined : ctx.granted) ?? ctx.requested).some(
      (sc) => sc.raw === 'offline_access',
    );
    // Without a URN, invalid_grant of a refresh is about the refresh token, not a code (RFC 6749 §5.2).
    const explanation = otherClient
      ? {
          title: 'sent with another client_id',
          explanation: `the refresh request names client_id ${otherClient}, but the launch was authorized for ${launch.clientId}: a refresh token works only for the client it was issued to (RFC 6749 §6).`,
          fix: `Send the refresh request with client_id ${launch.clientId}, the app's own (its configuration for this server may name another app's).`,
        }
      : !urn && error?.error === 'invalid_grant'
        ? rotated
          ? {
              title: 'refresh token already replaced',
              explanation: `the refresh token is not valid any more. The ${rotated.label} ${Math.round((at - rotated.exchange.startedAt) / 1000)} s earlier got a new refresh token: this server rotates them, and a replaced one is refused (an app that keeps sending its first refresh token fails from the second refresh on).`,
              fix: 'Keep the refresh_token of each refresh response and send that one next time (fhirclient does).',
            }
          : {
              title: 'Refresh token invalid',
              explanation: 'the refresh token is invalid, expired or revoked.',
              fix: offline
                ? 'Relaunch the app to sign in again.'
                : 'Relaunch the app to sign in again; request offline_access when the app must refresh after the user’s session ends.',
            }
        : explainError(error?.error, urn ?? error?.error_uri);
    const description = errorDescription(error?.error_description);
    const err = error && { error: error.error, urn, description };
    const status = refused.exchange.status;
    const how =
      status !== undefined
        ? `HTTP ${status}${err?.error ? ` ${err.error}` : ''}`
        : (refused.exchange.error ?? 'no answer');
    const summary = `The app's refresh token request was refused (${how})${explanation ? `: ${lowerFirst(explanation.explanation)}` : '.'}${saidByServer(err?.description)} The app keeps working only until its access token expires; then FHIR refuses it.`;
    const evidence = [
      ev('refresh', how, refused),
      ...(otherClient
        ? [
            ev('client_id sent', otherClient, refused),
            ev('client_id of the launch', launch.clientId, ctx.authorize),
          ]
        : []),
      ...(err?.urn ? [ev('server error', err.urn, refused)] : []),
      ...(err?.description ? [ev('error_description', err.description, refused)] : []),
    ];
    const fix = explanation?.fix ?? 'Relaunch the app to sign in again and get a new refresh token.';
    return [
      finding(
        this,
        summary,
        evidence,
        [advice(fix), ...relaunch(ctx)],
        explanation ? { title: `Token refresh refused: ${explanation.title}` } : {},
      ),
    ];
  },
};

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
