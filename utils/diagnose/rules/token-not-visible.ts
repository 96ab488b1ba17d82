import { getParam } from '../../url';
import { originOf } from '../../url/split';
import { watchOrigin } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Steps the recorder could not see because the app's origin is not a watched host. */
export const tokenNotVisible: Rule = {
  id: 'token-not-visible',
  severity: 'info',
  title: 'Some requests of the app were not visible',
  detect(launch, ctx) {
    const partial = launch.steps.find((s) => s.exchange.partial);
    const cb = ctx.callbacks.find((c) => getParam(c.decoded, 'code'));
    const cbOrigin = cb ? originOf(cb.exchange.url) : '';
    const hidden = cb && !ctx.tokens.length && ctx.hasHostPermission(cbOrigin) === false;
    if (!partial && !hidden) return [];
    const origin = partial ? (partial.exchange.initiator ?? originOf(partial.exchange.url)) : cbOrigin;
    return [
      finding(
        this,
        `Requests sent by pages of ${origin} (the token request, FHIR calls) are only visible once that origin is watched, so this launch may look less complete than it was.`,
        [
          partial
            ? ev('partly recorded', partial.label, partial)
            : ev('callback without visible token request', cb!.label, cb!),
        ],
        [watchOrigin(origin)],
      ),
    ];
  },
};
