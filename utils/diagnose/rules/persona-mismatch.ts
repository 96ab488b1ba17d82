import { PERSONA_MISMATCH_URN } from '../../smart/oracle-urn-families';
import { findError, urnLike } from '../errors';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const personaMismatch: Rule = {
  id: 'persona-mismatch',
  severity: 'error',
  title: 'Persona does not match the app registration',
  detect(launch, ctx) {
    // Reported as `client-persona-mismatch`; the spelling is unconfirmed, so matched loosely.
    const err = findError(launch, ctx, (e) => urnLike(e, PERSONA_MISMATCH_URN));
    if (!err) return [];
    return [
      finding(
        this,
        `The app used the ${launch.persona ?? 'unknown'} persona's authorize endpoint, but it is registered for another persona (provider vs patient).`,
        [ev('persona used', launch.persona, ctx.authorize), ev('server error', err.urn, err.step)],
        [
          advice(
            'Launch through the authorize endpoint of the persona the app is registered for (see the discovery document of the matching FHIR base).',
          ),
        ],
      ),
    ];
  },
};
