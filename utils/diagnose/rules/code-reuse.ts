import type { Step } from '../../model';
import { formValue } from '../../url/query';
import { findError, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Codes are single-use and short-lived: a second exchange of the same (masked) code, or invalid_grant. */
export const codeReuse: Rule = {
  id: 'code-reuse',
  severity: 'error',
  title: 'Authorization code reused or expired',
  detect(launch, ctx) {
    const byCode = new Map<string, Step[]>();
    for (const t of ctx.tokens) {
      const code = formValue(t.exchange.form, 'code');
      if (code) byCode.set(code, [...(byCode.get(code) ?? []), t]);
    }
    const reused = [...byCode.values()].find((list) => list.length > 1);
    const err = findError(
      launch,
      ctx,
      (e) => e.step.kind === 'token' && urnEnds(e, 'code-invalid-or-expired'),
    );
    if (!reused && !err) return [];
    if (reused) {
      const [first, second] = reused as [Step, Step];
      return [
        finding(
          this,
          `The app exchanged the same authorization code ${reused.length} times; codes are single-use, so every exchange after the first fails${launch.status === 'succeeded' ? ' (the first one succeeded, so this is usually a double call, e.g. an effect run twice)' : ''}.`,
          [
            ev('first exchange', `${first.exchange.status ?? first.exchange.error ?? '?'}`, first),
            ev('repeated exchange', `${second.exchange.status ?? second.exchange.error ?? '?'}`, second),
          ],
          [advice('Exchange each code exactly once (guard the token request against running twice).')],
          launch.status === 'succeeded'
            ? { severity: 'warning', title: 'Authorization code exchanged twice' }
            : {},
        ),
      ];
    }
    const cb = ctx.callbacks[0];
    const delay = cb && err ? err!.step.exchange.startedAt - cb.exchange.startedAt : undefined;
    return [
      finding(
        this,
        `The token endpoint said the code is invalid or expired${delay !== undefined ? ` (${Math.round(delay / 1000)} s after the callback)` : ''}.`,
        [
          ev('server error', err!.urn, err!.step),
          ...(delay !== undefined ? [ev('time from callback to token request', `${delay} ms`, cb)] : []),
        ],
        [advice('Exchange the code right after the callback, once.'), ...relaunch(ctx)],
      ),
    ];
  },
};
