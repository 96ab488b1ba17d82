import type { Finding, Step } from '../../model';
import { MISSING_PATIENT_URN } from '../../smart/oracle-urn-families';
import { needsPatientContext } from '../../smart/scopes';
import { findError, urnEnds, urnLike } from '../errors';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

export const missingPatientContext: Rule = {
  id: 'missing-patient-context',
  severity: 'error',
  title: 'Patient scopes without a patient in context',
  detect(launch, ctx) {
    // `missing-patient` is an unconfirmed spelling, matched loosely; the other two are published (the
    // token endpoint's when patient/ scopes were asked for without exactly one patient).
    const err = findError(
      launch,
      ctx,
      (e) =>
        urnEnds(e, 'invalid-patient-id', 'patient-scope-requires-one-patient-id') ||
        urnLike(e, MISSING_PATIENT_URN),
    );
    if (!err) {
      const found = grantedWithoutPatient(this, ctx);
      return found.length ? found : blankIdRead(this, ctx);
    }
    const patientScopes = ctx.requested
      .filter((s) => s.kind === 'resource' && s.context === 'patient')
      .map((s) => s.raw);
    const asksPatient = ctx.requested.some((s) => s.raw === 'launch/patient' || s.raw === 'launch');
    const which = patientScopes.length
      ? ` (${patientScopes.slice(0, 3).join(', ')}${patientScopes.length > 3 ? '…' : ''})`
      : '';
    const invalid = urnEnds(err, 'invalid-patient-id');
    const summary = invalid
      ? `The server refused the patient of this launch as invalid (invalid-patient-id): the patient in context is not one it knows for this tenant${which ? `, and the app asked for patient-level data${which}` : ''}.`
      : patientScopes.length
        ? `The app asked for patient-level data${which} but the launch had no patient${asksPatient ? '' : ' and the app did not request launch/patient'}.`
        : `The server requires exactly one patient in context for patient-level access (${err.urn?.split(':').pop() ?? 'missing patient'}), and this launch had none or several (the request named no patient/ scope).`;
    return [
      finding(
        this,
        summary,
        [
          ev('patient scopes', patientScopes.length, ctx.authorize),
          ev('launch or launch/patient requested', asksPatient, ctx.authorize),
          ev('needs a patient', needsPatientContext(ctx.requested)),
          ev('server error', err.urn, err.step),
        ],
        [
          advice(
            invalid
              ? "Launch from the chart of a patient of this tenant; the EHR's patient id must be one its FHIR server knows."
              : 'Launch from a patient chart, add launch/patient for standalone launches, or use user/ scopes.',
          ),
        ],
        invalid ? { title: 'Invalid patient in context' } : {},
      ),
    ];
  },
};

/**
 * launch/patient granted, and a token response without `patient`: SMART returns the patient's id with
 * that scope, so the app has no patient to read. A server's omission, seen in its token response.
 */
function grantedWithoutPatient(rule: Rule, ctx: RuleContext): Finding[] {
  const t = ctx.tokenSuccess;
  if (t?.body?.kind !== 'token' || t.body.value.patient !== undefined) return [];
  const granted = ctx.granted ?? [];
  if (!granted.some((s) => s.raw === 'launch/patient')) return ehrLaunchWithoutPatient(rule, ctx, t.step);
  return [
    finding(
      rule,
      'The token response grants launch/patient but has no patient: the app has no patient to read, although the server agreed to give it one.',
      [ev('granted', 'launch/patient', t.step), ev('patient', '(none in the token response)', t.step)],
      [
        advice(
          'Server side: return the selected patient’s id as `patient` in the token response when launch/patient is granted (for a standalone launch, after the patient picker).',
        ),
      ],
      { severity: 'warning', title: 'launch/patient granted without a patient' },
    ),
  ];
}

/**
 * An EHR launch (`launch` granted) with patient-level scopes granted, and a token response without
 * `patient`: the EHR gave no patient context, so the app has no patient for its patient/ scopes. An
 * error when a FHIR read after the token then failed (the app went on without a patient: `Patient/undefined`).
 */
function ehrLaunchWithoutPatient(rule: Rule, ctx: RuleContext, token: Step): Finding[] {
  const granted = ctx.granted ?? [];
  if (!granted.some((s) => s.raw === 'launch')) return [];
  const patientScopes = granted
    .filter((s) => s.kind === 'resource' && s.context === 'patient')
    .map((s) => s.raw);
  if (!patientScopes.length) return [];
  const after = token.exchange.startedAt;
  const failedRead = ctx.fhir.find(
    (f) =>
      f.exchange.startedAt > after &&
      f.failed &&
      (f.exchange.status ?? 0) >= 400 &&
      (f.exchange.status ?? 0) < 500,
  );
  const blank = failedRead && BLANK_ID.test(failedRead.exchange.url);
  return [
    finding(
      rule,
      `The EHR launch granted patient-level scopes (${patientScopes.slice(0, 3).join(', ')}${patientScopes.length > 3 ? '…' : ''}) but the token response has no patient: the launch had no patient in context, so the app has no patient to read.${failedRead ? ` ${failedRead.label} failed (HTTP ${failedRead.exchange.status})${blank ? ', asking for a patient id the app did not have' : ''}.` : ''}`,
      [
        ev('granted', patientScopes.slice(0, 3).join(' '), token),
        ev('patient', '(none in the token response)', token),
        ...(failedRead ? [ev('FHIR read', `${failedRead.exchange.status}`, failedRead)] : []),
      ],
      [
        advice(
          'Launch from a patient’s chart (in a sandbox, pick a patient before launching), or ask for launch/patient so the server asks for one; the app should stop when the token response has no patient rather than read Patient/undefined.',
        ),
      ],
      failedRead
        ? { title: 'No patient in the launch context' }
        : { severity: 'warning', title: 'No patient in the launch context' },
    ),
  ];
}

/** A path segment or query value `undefined` or `null`: a JavaScript app's missing id, sent as text. */
const BLANK_ID = /\/(?:undefined|null)(?:[/?#]|$)|=(?:undefined|null)(?:&|#|$)/;

/**
 * A FHIR request refused (4xx) whose URL names `undefined` or `null` as an id (`Patient/undefined`,
 * `?patient=undefined`): the app had no id to ask for, most often no patient in the launch context. Said
 * whatever the scopes (a provider app asking for user/ scopes reads its patient from the context too),
 * and whether or not the token response was recorded.
 */
function blankIdRead(rule: Rule, ctx: RuleContext): Finding[] {
  const read = ctx.fhir.find(
    (f) =>
      f.failed &&
      (f.exchange.status ?? 0) >= 400 &&
      (f.exchange.status ?? 0) < 500 &&
      BLANK_ID.test(f.exchange.url),
  );
  if (!read) return [];
  const t = ctx.tokenSuccess;
  const body = t?.body?.kind === 'token' ? t.body.value : undefined;
  const patient = typeof body?.patient === 'string' ? body.patient : undefined;
  const asked = ctx.requested.some((s) => s.raw === 'launch/patient');
  const why = !body
    ? ' Whether the token response named a patient was not recorded (keep DevTools open on the app’s tab to record it).'
    : patient
      ? ` The token response named patient ${patient}: the app did not use it.`
      : ` The token response names no patient: the launch had no patient in context${asked ? ', although the app asked for launch/patient' : ' (the app asked for no launch/patient)'}, so there was none to read.`;
  return [
    finding(
      rule,
      `${read.label} failed (HTTP ${read.exchange.status}): the app asked for an id it did not have (“undefined” or “null” in the URL).${why}`,
      [
        ev('FHIR request', read.exchange.url.replace(/^https?:\/\/[^/]+/, ''), read),
        ...(t && body ? [ev('patient', patient ?? '(none in the token response)', t.step)] : []),
      ],
      [
        advice(
          patient
            ? 'Read the patient from the token response (fhirclient: client.patient.id) before building FHIR URLs.'
            : 'Launch from a patient’s chart (in a sandbox, pick a patient before launching), or ask for launch/patient; the app should stop when the token response has no patient rather than read Patient/undefined.',
        ),
      ],
      { title: 'FHIR request for an undefined id' },
    ),
  ];
}
