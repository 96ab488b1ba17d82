import { z } from 'zod';

/** Fields SMART App Launch (and Oracle) define for a token response; anything else is reported as unknown. */
export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().optional(),
    scope: z.string().optional(),
    id_token: z.string().optional(),
    refresh_token: z.string().optional(),
    patient: z.string().optional(),
    encounter: z.string().optional(),
    fhirContext: z.array(z.unknown()).optional(),
    need_patient_banner: z.boolean().optional(),
    smart_style_url: z.string().optional(),
    intent: z.string().optional(),
    tenant: z.string().optional(),
    user: z.string().optional(),
    username: z.string().optional(),
    authorization_details: z.unknown().optional(),
  })
  .loose();

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

const KNOWN = new Set(Object.keys(tokenResponseSchema.shape));

export const oauthErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional(), error_uri: z.string().optional() })
  .loose();
export type OAuthErrorBody = z.infer<typeof oauthErrorSchema>;

export type ParsedTokenBody =
  | {
      kind: 'token';
      value: TokenResponse;
      unknownFields: string[];
      /**
       * Set when `expires_in` came as a string of digits (`"3599"`, as some servers and gateways send
       * it): `value.expires_in` holds its number; RFC 6749 §5.1 wants a JSON number.
       */
      expiresInText?: string;
    }
  | { kind: 'error'; value: OAuthErrorBody }
  | { kind: 'invalid'; error: string };

/** Parse a recorded token endpoint body. Never throws; says plainly what is wrong with a bad body. */
export function parseTokenBody(text: string | undefined): ParsedTokenBody {
  if (text === undefined || text.trim() === '') return { kind: 'invalid', error: 'empty body' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', error: `not JSON: ${(e as Error).message}` };
  }
  // `"expires_in": "3599"`: the lifetime is there, in the wrong type; read as its number, and said.
  const asText = expiresInText(json);
  if (asText !== undefined) {
    const parsed = parseTokenBody(JSON.stringify({ ...(json as object), expires_in: Number(asText) }));
    return parsed.kind === 'token' ? { ...parsed, expiresInText: asText } : parsed;
  }
  // The usual bodies, checked by hand: what the schemas would make of them, without their cost.
  return plainBody(json) ?? bySchemas(json);
}

/** A token response's `expires_in` sent as a string of digits; undefined otherwise. */
function expiresInText(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const v = (json as Record<string, unknown>).expires_in;
  return typeof v === 'string' && /^\s*-?\d{1,12}\s*$/.test(v) ? v : undefined;
}

/** What the schemas make of a parsed body (parseTokenBody's answer for any body plainBody leaves). */
export function bySchemas(json: unknown): ParsedTokenBody {
  const asText = expiresInText(json);
  if (asText !== undefined) {
    const parsed = bySchemas({ ...(json as object), expires_in: Number(asText) });
    return parsed.kind === 'token' ? { ...parsed, expiresInText: asText } : parsed;
  }
  // A body with an access token is no error response, whatever else it holds: no need to check.
  const hasToken = !!(json as Record<string, unknown> | null)?.access_token;
  const err = hasToken ? undefined : oauthErrorSchema.safeParse(json);
  if (err?.success) return { kind: 'error', value: err.data };
  const ok = tokenResponseSchema.safeParse(json);
  if (!ok.success) {
    const issues = ok.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { kind: 'invalid', error: `not a token response: ${issues}` };
  }
  const unknownFields = Object.keys(ok.data).filter((k) => !KNOWN.has(k));
  return { kind: 'token', value: ok.data, unknownFields };
}

/** Token response fields by the type the schema wants (fhirContext: an array; authorization_details: any). */
const STRING_FIELDS = new Set([
  'access_token',
  'token_type',
  'scope',
  'id_token',
  'refresh_token',
  'patient',
  'encounter',
  'smart_style_url',
  'intent',
  'tenant',
  'user',
  'username',
]);
const TOKEN_KEYS = Object.keys(tokenResponseSchema.shape);
const ERROR_KEYS = Object.keys(oauthErrorSchema.shape);

/**
 * parseTokenBody()'s answer for a JSON object that is a valid token response or OAuth error as it
 * stands, built as the schemas build it (their fields in schema order, then the others in body order);
 * undefined for anything else, which the schemas then judge.
 */
function plainBody(json: unknown): ParsedTokenBody | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (o.access_token) {
    for (const k of keys) {
      const v = o[k];
      if (k === '__proto__') return undefined;
      if (STRING_FIELDS.has(k) ? typeof v !== 'string' : !fieldOk(k, v)) return undefined;
    }
    if (typeof o.token_type !== 'string') return undefined;
    const value: Record<string, unknown> = {};
    for (const k of TOKEN_KEYS)
      if (Object.hasOwn(o, k)) value[k] = k === 'fhirContext' ? (o[k] as unknown[]).slice() : o[k];
    const unknownFields: string[] = [];
    for (const k of keys) {
      if (KNOWN.has(k)) continue;
      value[k] = o[k];
      unknownFields.push(k);
    }
    return { kind: 'token', value: value as TokenResponse, unknownFields };
  }
  if (typeof o.error !== 'string') return undefined;
  for (const k of keys) {
    if (k === '__proto__') return undefined;
    if ((k === 'error_description' || k === 'error_uri') && typeof o[k] !== 'string') return undefined;
  }
  const value: Record<string, unknown> = {};
  for (const k of ERROR_KEYS) if (Object.hasOwn(o, k)) value[k] = o[k];
  for (const k of keys) if (!ERROR_KEYS.includes(k)) value[k] = o[k];
  return { kind: 'error', value: value as OAuthErrorBody };
}

/** A token response field other than the strings has the type the schema wants (others: anything). */
function fieldOk(key: string, v: unknown): boolean {
  switch (key) {
    case 'expires_in':
      return typeof v === 'number';
    case 'fhirContext':
      return Array.isArray(v);
    case 'need_patient_banner':
      return typeof v === 'boolean';
    default:
      return true;
  }
}
