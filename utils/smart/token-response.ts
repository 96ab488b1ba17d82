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
  | { kind: 'token'; value: TokenResponse; unknownFields: string[] }
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
