import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const redirectUriMismatch: Rule = {
  id: 'redirect-uri-mismatch',
  severity: 'warning',
  title: 'redirect_uri differs between authorize and token',
  detect(_launch, ctx) {
    const sent = getParam(ctx.authParams, 'redirect_uri');
    const token = ctx.tokens.find((t) => formValue(t.exchange.form, 'redirect_uri') !== undefined);
    const atToken = token ? formValue(token.exchange.form, 'redirect_uri') : undefined;
    if (!sent || !token || atToken === sent) return [];
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
