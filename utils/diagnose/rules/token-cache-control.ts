import { forbidsStoring } from '../../smart/cache-control';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** SMART: token responses must carry Cache-Control: no-store so no cache keeps the tokens. */
export const tokenCacheControl: Rule = {
  id: 'token-cache-control',
  severity: 'warning',
  title: 'Token response may be cached',
  detect(_launch, ctx) {
    const step = ctx.tokenSuccess?.step;
    if (!step || Object.keys(step.exchange.responseHeaders).length === 0) return [];
    const cc = step.exchange.responseHeaders['cache-control'];
    if (forbidsStoring(cc)) return [];
    return [
      finding(
        this,
        `The token response was sent with ${cc ? `Cache-Control: ${cc}` : 'no Cache-Control header'}; SMART requires no-store so that tokens are never cached.`,
        [ev('Cache-Control', cc ?? '(none)', step)],
        [advice('Server side: answer the token endpoint with Cache-Control: no-store.')],
      ),
    ];
  },
};
