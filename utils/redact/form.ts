import { mask } from './mask';
import { isOAuthForm, isPublicFormField, isSecretName } from './names';
import { redactText } from './text';
import { redactValue } from './url';

/**
 * Redact urlencoded form fields. In an OAuth form (token request, authorize POST) only secret fields
 * are masked; any other form (a login page, a SAML post) is treated as a login form: every field is
 * masked except the few that carry protocol context.
 */
export function redactForm(form: Record<string, string[]>): Record<string, string[]> {
  const names = Object.keys(form);
  const oauth = isOAuthForm(names);
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const values = Array.isArray(form[name]) ? (form[name] as unknown[]) : [];
    const secret = isSecretName(name) || (!oauth && !isPublicFormField(name));
    // A body that is no form read as one (JSON under a form's Content-Type) is one long name: its text
    // is scanned like any other body's.
    const key = /["{=&]/.test(name) ? redactText(name) : name;
    out[key] = values.map((v) => {
      const value = typeof v === 'string' ? v : String(v);
      return secret ? mask(value) : redactValue(value, 1);
    });
  }
  return out;
}
