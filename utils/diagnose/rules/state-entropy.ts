import { valueLength } from '../../smart/pkce';
import { getParam } from '../../url';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** SMART asks for at least 122 bits of entropy: 22 base64url characters at best, so fewer is too few. */
export const STATE_MIN_CHARS = 22;
const STATE_MIN_DISTINCT = 8;

export const stateEntropy: Rule = {
  id: 'state-entropy',
  severity: 'warning',
  title: 'state is missing or guessable',
  detect(_launch, ctx) {
    if (!ctx.authorize) return [];
    const state = getParam(ctx.authParams, 'state');
    if (state === undefined || state === '') {
      return [
        finding(
          this,
          'The authorize request has no state, so the app cannot tell its own callback from a forged one.',
          [ev('state', '(none)', ctx.authorize)],
          [advice('Send a random state of at least 122 bits and check it at the callback.')],
        ),
      ];
    }
    const length = valueLength(state);
    const distinct = distinctUpTo(state, STATE_MIN_DISTINCT);
    if (length >= STATE_MIN_CHARS && distinct >= STATE_MIN_DISTINCT) return [];
    return [
      finding(
        this,
        `state is ${length} characters${distinct < STATE_MIN_DISTINCT ? ` with only ${distinct} distinct` : ''}; SMART requires at least 122 bits of entropy (${STATE_MIN_CHARS}+ random base64url characters).`,
        [ev('state', state, ctx.authorize), ev('length', length, ctx.authorize)],
        [advice('Generate state with a cryptographic random source (e.g. 32 random bytes, base64url).')],
      ),
    ];
  },
};

/** How many distinct characters (code points) `text` has, counting no further than `max`. */
export function distinctUpTo(text: string, max: number): number {
  const seen: number[] = [];
  for (let i = 0; i < text.length && seen.length < max; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (!seen.includes(cp)) seen.push(cp);
  }
  return seen.length;
}
