import { jwtDecodeError } from '../../smart/jwt';
import type { ParsedTokenBody } from '../../smart/token-response';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** The token response is not what SMART specifies, or its id_token cannot be read. */
export const tokenResponseShape: Rule = {
  id: 'token-response-shape',
  severity: 'info',
  title: 'Token response details',
  detect(_launch, ctx) {
    const t = ctx.tokenSuccess;
    if (!t?.body) return [];
    if (t.body.kind === 'invalid') {
      // A body cut to the capture bound is our limit, not the server's fault.
      const cut = t.step.exchange.body?.truncated === true;
      return [
        finding(
          this,
          cut
            ? `The token response was too large to keep whole, so it could not be read: ${t.body.error}.`
            : `The token response could not be read (${t.body.error}), so the app cannot use the token: SMART requires JSON with access_token, token_type and scope.`,
          [ev('body', t.step.exchange.body?.text.slice(0, 200), t.step)],
          cut
            ? []
            : [advice('Server side: answer the token request with a SMART token response (RFC 6749 §5.1).')],
          cut ? { title: 'Token response cut' } : { severity: 'error', title: 'Unreadable token response' },
        ),
      ];
    }
    if (t.body.kind !== 'token') return [];
    const out = [];
    const unknown = t.body.unknownFields;
    if (unknown.length) {
      out.push(
        finding(
          this,
          `The token response has fields SMART does not define: ${unknown.join(', ')}.`,
          [ev('unknown fields', unknown.join(', '), t.step)],
          [],
          { title: 'Non-standard token response fields' },
        ),
      );
    }
    const idToken = t.body.value.id_token;
    if (idToken) {
      const error = idTokenError(t.body, idToken);
      if (error !== undefined && !/redacted/.test(error)) {
        out.push(
          finding(
            this,
            `The id_token cannot be decoded: ${error}.`,
            [ev('id_token', idToken.slice(0, 40), t.step)],
            [],
            { severity: 'warning', title: 'Broken id_token' },
          ),
        );
      }
    }
    return out;
  },
};

/**
 * Why an id_token cannot be decoded (undefined when it can); that does not depend on the time. Kept
 * per parsed token response, which the context shares across analyses of the same captured body.
 */
const idTokenErrors = new WeakMap<ParsedTokenBody, { token: string; error: string | undefined }>();

function idTokenError(body: ParsedTokenBody, token: string): string | undefined {
  const memo = idTokenErrors.get(body);
  if (memo && memo.token === token) return memo.error;
  const error = jwtDecodeError(token);
  idTokenErrors.set(body, { token, error });
  return error;
}
