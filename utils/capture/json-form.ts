/**
 * A POST body sent as a JSON object instead of a urlencoded form. OAuth's token endpoint takes forms
 * only (RFC 6749 §3.2, §4.1.3), yet hand-written clients send `{"grant_type": …}`; reading its fields
 * as a form's lets analysis see the grant, the code and the verifier (and redaction mask them), and
 * Exchange.formFormat says they came as JSON (utils/diagnose/rules/oauth-request-shape.ts).
 */

/** Bodies longer than this are not read: a token request is a few hundred bytes. */
export const MAX_JSON_FORM_CHARS = 64 * 1024;

/**
 * The top-level fields of a JSON object body, as a form's (`{"a": "1", "b": [2, true]}` → a: ["1"],
 * b: ["2", "true"]); nested objects and nulls are left out. Undefined for anything else: not JSON, not
 * an object, no field, longer than MAX_JSON_FORM_CHARS.
 */
export function jsonForm(text: string | undefined): Record<string, string[]> | undefined {
  if (!text || text.length > MAX_JSON_FORM_CHARS) return undefined;
  const start = text.trimStart();
  if (!start.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(start);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const form: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const values = (Array.isArray(value) ? value : [value]).flatMap((v) =>
      typeof v === 'string' ? [v] : typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [],
    );
    if (values.length) form[name] = values;
  }
  return Object.keys(form).length ? form : undefined;
}

/**
 * jsonForm() of a body webRequest handed over as bytes (`requestBody.raw`: what is not a urlencoded or
 * multipart form). Undefined for a body in several parts (a file upload) or one that is not UTF-8 text.
 */
export function rawJsonForm(
  raw: readonly { bytes?: ArrayBuffer }[] | undefined,
): Record<string, string[]> | undefined {
  const bytes = raw?.length === 1 ? raw[0]?.bytes : undefined;
  if (!bytes || bytes.byteLength > MAX_JSON_FORM_CHARS) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return jsonForm(text);
}

/**
 * A JSON object body sent under a form's Content-Type (`fetch` with the wrong header), as a form
 * parser splits it: fields named by pieces of the JSON text, cut at its `&` and `=`. Its fields as
 * jsonForm() reads them, from the text put back together; undefined for any other form.
 */
export function jsonInForm(form: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!form) return undefined;
  const names = Object.keys(form);
  if (!names[0]?.trimStart().startsWith('{')) return undefined;
  const text = names
    .flatMap((name) => (form[name] ?? []).map((v) => (v === '' ? name : `${name}=${v}`)))
    .join('&');
  return jsonForm(text);
}
