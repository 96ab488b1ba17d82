/**
 * Oracle's two authorize personas (`…/personas/{provider|patient}/authorize`) and what to say when one
 * refuses an app with `unauthorized_client` and no URN (reported persona mismatches carry that code, but
 * Oracle does not say so): worded as likely. The extension's rule (utils/diagnose/rules/persona-mismatch.ts)
 * and the companion app (web/src/lib/explain-redirect.ts) say the same.
 */
const PERSONAS: Record<string, { other: string; fhirHost: string; app: string }> = {
  provider: { other: 'patient', fhirHost: 'fhir-ehr-code.cerner.com', app: 'Provider' },
  patient: { other: 'provider', fhirHost: 'fhir-myrecord.cerner.com', app: 'Patient' },
};

/** Why and what to do, for a persona Oracle has; undefined for any other name. */
export function likelyPersonaMismatch(
  persona: string | undefined,
): { explanation: string; fix: string } | undefined {
  if (persona === undefined || !Object.hasOwn(PERSONAS, persona)) return undefined;
  const known = PERSONAS[persona]!;
  const other = PERSONAS[known.other]!;
  return {
    explanation: `Oracle refused the authorize request on the ${persona} persona's endpoint (…/personas/${persona}/authorize) with unauthorized_client and no error URN to say why. Most likely the app is not registered for the ${persona} persona (provider vs patient); Oracle did not confirm it.`,
    fix: `In Code Console, check that the app is registered as a ${known.app} app. If it is a ${other.app} app, launch it with the ${known.other} persona: its FHIR base (${other.fhirHost}) advertises …/personas/${known.other}/authorize. If the persona matches, check that the registration allows the authorization code flow.`,
  };
}
