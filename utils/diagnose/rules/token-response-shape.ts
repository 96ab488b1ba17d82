import { decodeJwtSafe } from '../../smart/jwt';
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
      return [
        finding(
          this,
          `The token response could not be read: ${t.body.error}.`,
          [ev('body', t.step.exchange.body?.text.slice(0, 200), t.step)],
          [],
          { severity: 'warning', title: 'Unreadable token response' },
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
      const jwt = decodeJwtSafe(idToken, t.step.exchange.startedAt);
      if (!jwt.ok && !/redacted/.test(jwt.error)) {
        out.push(
          finding(
            this,
            `The id_token cannot be decoded: ${jwt.error}.`,
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
