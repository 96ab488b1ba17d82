import { useFhirResource } from '../hooks/useFhirResource';
import { formatIdentifier, formatName, type HumanName, type Identifier } from '../lib/fhir-format';
import type { FhirFetchDeps } from '../lib/smoke-run';

interface Patient {
  resourceType: 'Patient';
  id?: string;
  name?: HumanName[];
  gender?: string;
  birthDate?: string;
  identifier?: Identifier[];
}

/**
 * The patient in context. SMART asks the app to draw a banner only when `need_patient_banner` is true
 * (the EHR draws its own otherwise); the patient's name is shown either way so a wrong patient is obvious.
 */
export function PatientBanner(props: {
  fhir: FhirFetchDeps;
  patientId: string;
  /** need_patient_banner as the token response sent it; undefined when it sent none or not a boolean. */
  needBanner: boolean | undefined;
  /** need_patient_banner as sent (JSON) when it is there but not a boolean. */
  needBannerInvalid?: string | undefined;
}) {
  const result = useFhirResource<Patient>(props.fhir, `Patient/${encodeURIComponent(props.patientId)}`);
  const label = props.needBanner === false ? 'Patient in context' : 'Patient banner';
  if (!result)
    return (
      <section className="card banner" aria-label={label} aria-busy="true">
        <h2 className="visually-hidden">{label}</h2>
        Loading patient {props.patientId}…
      </section>
    );
  if (!result.ok)
    return (
      <section className="card banner" aria-label={label}>
        <h2 className="visually-hidden">{label}</h2>
        <p className="bad">
          Patient <code>{props.patientId}</code> could not be read: {result.message}
        </p>
        {/^HTTP (404|410) /.test(result.message) ? (
          <p className="hint">
            The token response names this patient as the launch context, but the FHIR server does not have it:
            the authorization server and the FHIR server disagree (another environment or tenant, or a patient
            removed since).
          </p>
        ) : null}
      </section>
    );
  const p = result.resource;
  return (
    // A heading for heading navigation, like the page's other sections; the name says it visibly.
    <section className="card banner" aria-label={label}>
      <h2 className="visually-hidden">{label}</h2>
      <div className="name">{formatName(p.name) ?? '(no name)'}</div>
      <dl className="facts">
        <dt>Gender</dt>
        <dd>{p.gender ?? '—'}</dd>
        <dt>Birth date</dt>
        <dd>{p.birthDate ?? '—'}</dd>
        <dt>Identifier</dt>
        <dd>{formatIdentifier(p.identifier) ?? '—'}</dd>
        <dt>FHIR id</dt>
        <dd>
          <code>{p.id ?? props.patientId}</code>
        </dd>
      </dl>
      {props.needBanner === false ? (
        <p className="hint">need_patient_banner is false: the EHR shows its own banner.</p>
      ) : props.needBannerInvalid !== undefined ? (
        <p className="bad">
          need_patient_banner is <code>{props.needBannerInvalid}</code>, not true or false: SMART defines a
          boolean. An app that tests it as one takes any non-empty string, "false" included, as true; this
          page shows the banner.
        </p>
      ) : props.needBanner === undefined ? (
        <p className="hint">
          The token response has no need_patient_banner: nothing says an EHR shows the patient, so the app
          shows this banner.
        </p>
      ) : null}
    </section>
  );
}
