import type { Step } from '../../model';
import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/** The token request `token` sends a redirect_uri other than the authorize request's (RFC 6749 §4.1.3). */
export function redirectUriDiffers(ctx: RuleContext, token: Step): boolean {
  const sent = getParam(ctx.authParams, 'redirect_uri');
  const atToken = formValue(token.exchange.form, 'redirect_uri');
  return !!sent && atToken !== undefined && atToken !== sent;
}

export const redirectUriMismatch: Rule = {
  id: 'redirect-uri-mismatch',
  severity: 'warning',
  title: 'redirect_uri differs between authorize and token',
  detect(_launch, ctx) {
    const token = ctx.tokens.find((t) => formValue(t.exchange.form, 'redirect_uri') !== undefined);
    if (!token || !redirectUriDiffers(ctx, token)) return [];
    const sent = getParam(ctx.authParams, 'redirect_uri');
    const atToken = formValue(token.exchange.form, 'redirect_uri');
    return [
      finding(
        this,
        `authorize used redirect_uri=${sent} but the token request sent ${atToken}; RFC 6749 requires them to be identical and strict servers (Oracle) refuse the token request.`,
        [ev('at authorize', sent, ctx.authorize), ev('at token', atToken, token)],
        [advice('Send the exact same redirect_uri string to authorize and token.')],
        token.failed ? { severity: 'error' } : {},
      ),
    ];
  },
};
