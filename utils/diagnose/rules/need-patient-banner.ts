import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const needPatientBanner: Rule = {
  id: 'need-patient-banner',
  severity: 'info',
  title: 'App must show a patient banner',
  detect(_launch, ctx) {
    const t = ctx.tokenSuccess;
    if (t?.body?.kind !== 'token' || t.body.value.need_patient_banner !== true) return [];
    return [
      finding(
        this,
        'The token response says need_patient_banner: true, so the EHR does not show which patient is open: the app must display the patient (name, birth date, id) itself.',
        [ev('need_patient_banner', true, t.step), ev('patient', t.body.value.patient, t.step)],
        [advice('Show a patient banner in the app when need_patient_banner is true.')],
      ),
    ];
  },
};
