import { personaOf } from '../../launch/classify';
import { PERSONA_MISMATCH_URN } from '../../smart/oracle-urn-families';
import { findError, urnLike } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Oracle's two authorize personas, and the FHIR base each is launched with (sandbox). */
const PERSONAS: Record<string, { other: string; fhirHost: string; app: string }> = {
  provider: { other: 'patient', fhirHost: 'fhir-ehr-code.cerner.com', app: 'Provider' },
  patient: { other: 'provider', fhirHost: 'fhir-myrecord.cerner.com', app: 'Patient' },
};

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
          `The app used the ${launch.persona ?? 'unknown'} persona's authorize endpoint, but it is registered for another persona (provider vs patient).`,
          [ev('persona used', launch.persona, ctx.authorize), ev('server error', err.urn, err.step)],
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
    const known = persona !== undefined && Object.hasOwn(PERSONAS, persona) ? PERSONAS[persona]! : undefined;
    if (!known) return [];
    const bare = findError(
      launch,
      ctx,
      (e) => e.step.kind === 'callback' && e.error === 'unauthorized_client' && !e.urn,
    );
    if (!bare) return [];
    const other = PERSONAS[known.other]!;
    return [
      finding(
        this,
        `Oracle refused the authorize request on the ${persona} persona's endpoint (…/personas/${persona}/authorize) with unauthorized_client and no error URN to say why. Most likely the app is not registered for the ${persona} persona (provider vs patient); Oracle did not confirm it.`,
        [
          ev('persona used', persona, ctx.authorize),
          ev('server error', 'unauthorized_client', bare.step),
          ev('error_uri', bare.errorUri, bare.step),
        ],
        [
          advice(
            `In Code Console, check that the app is registered as a ${known.app} app. If it is a ${other.app} app, launch it with the ${known.other} persona: its FHIR base (${other.fhirHost}) advertises …/personas/${known.other}/authorize. If the persona matches, check that the registration allows the authorization code flow.`,
          ),
          ...relaunch(ctx),
        ],
        { title: 'Likely persona mismatch' },
      ),
    ];
  },
};
