import { pkceProblems } from '../../smart/pkce';
import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const pkce: Rule = {
  id: 'pkce',
  severity: 'warning',
  title: 'PKCE missing or weak',
  detect(_launch, ctx) {
    if (!ctx.authorize) return [];
    const token = ctx.tokens[0];
    const challenge = getParam(ctx.authParams, 'code_challenge');
    const method = getParam(ctx.authParams, 'code_challenge_method');
    const verifier = token ? formValue(token.exchange.form, 'code_verifier') : undefined;
    const input = {
      tokenSeen: !!token,
      ...(challenge ? { challenge } : {}),
      ...(method ? { method } : {}),
      ...(verifier ? { verifier } : {}),
    };
    const problems = pkceProblems(input);
    const advertised = ctx.smartConfig?.code_challenge_methods_supported;
    const s256 = advertised?.includes('S256') ?? false;
    const tokenFailed = !!token && token.failed && ctx.tokenBodies.get(token.exchange.id)?.kind === 'error';
    const relevant = problems.filter((p) => p !== 'challenge-missing' || s256 || tokenFailed);
    if (!relevant.length) return [];
    const mismatch =
      tokenFailed &&
      relevant.some(
        (p) => p === 'verifier-missing' || p === 'verifier-unexpected' || p === 'verifier-length',
      );
    const text: Record<string, string> = {
      'challenge-missing': `The authorize request has no code_challenge${s256 ? ' although the server advertises S256' : ''}.`,
      'method-plain':
        'PKCE uses the plain method, which gives no protection if the authorize URL leaks; use S256.',
      'method-unknown': `Unknown code_challenge_method ${method}.`,
      'verifier-missing': 'The token request has no code_verifier although authorize sent a code_challenge.',
      'verifier-unexpected':
        'The token request sends a code_verifier although authorize sent no code_challenge.',
      'verifier-length': 'The code_verifier is not 43–128 characters long.',
    };
    return [
      finding(
        this,
        relevant.map((p) => text[p]).join(' '),
        [
          ev('code_challenge_method', method ?? (challenge ? 'plain (default)' : '(none)'), ctx.authorize),
          ev('server supports', advertised?.join(', ') ?? '(unknown)', ctx.discovery),
          ...(token ? [ev('code_verifier sent', verifier !== undefined, token)] : []),
        ],
        [
          advice(
            'Send code_challenge with code_challenge_method=S256 and the matching code_verifier in the token request (fhirclient: pkceMode "required").',
          ),
        ],
        mismatch ? { severity: 'error', title: 'PKCE mismatch: token request refused' } : {},
      ),
    ];
  },
};
