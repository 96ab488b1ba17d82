import { personaOf } from '../../launch/classify';
import { likelyPersonaMismatch } from '../../smart/oracle-personas';
import { PERSONA_MISMATCH_URN } from '../../smart/oracle-urn-families';
import { findError, urnLike } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const personaMismatch: Rule = {
  id: 'persona-mismatch',
  severity: 'error',
  title: 'Persona does not match the app registration',
  detect(launch, ctx) {
    // Reported as `client-persona-mismatch`; the spelling is unconfirmed, so matched loosely.
    const err = findError(launch, ctx, (e) => urnLike(e, PERSONA_MISMATCH_URN));
    if (err) {
      return [
        finding(
          this,
          launch.persona
            ? `The app used the ${launch.persona} persona's authorize endpoint, but it is registered for another persona (provider vs patient).`
            : "The server refused the app's persona: the authorize endpoint it used (its request is not in the capture) is of another persona (provider vs patient) than the app is registered for.",
          [
            ...(launch.persona ? [ev('persona used', launch.persona, ctx.authorize)] : []),
            ev('server error', err.urn, err.step),
          ],
          [
            advice(
              'Launch through the authorize endpoint of the persona the app is registered for (see the discovery document of the matching FHIR base).',
            ),
          ],
        ),
      ];
    }
    // Without a URN Oracle does not say why. Reported persona mismatches carry this code, so on a
    // persona's authorize endpoint the persona is the likely reason, but only that: worded as likely.
    const persona = personaOf(ctx.authParams?.path ?? '');
    const likely = likelyPersonaMismatch(persona);
    if (!likely) return [];
    const bare = findError(
      launch,
      ctx,
      (e) => e.step.kind === 'callback' && e.error === 'unauthorized_client' && !e.urn,
    );
    if (!bare) return [];
    return [
      finding(
        this,
        likely.explanation,
        [
          ev('persona used', persona, ctx.authorize),
          ev('server error', 'unauthorized_client', bare.step),
          ev('error_uri', bare.errorUri, bare.step),
        ],
        [advice(likely.fix), ...relaunch(ctx)],
        { title: 'Likely persona mismatch' },
      ),
    ];
  },
};
