import { z } from 'zod';

/** The parts of `.well-known/smart-configuration` that analysis uses; other fields pass through. */
export const smartConfigSchema = z
  .object({
    issuer: z.string().optional(),
    jwks_uri: z.string().optional(),
    authorization_endpoint: z.string().optional(),
    token_endpoint: z.string().optional(),
    scopes_supported: z.array(z.string()).optional(),
    code_challenge_methods_supported: z.array(z.string()).optional(),
    capabilities: z.array(z.string()).optional(),
    grant_types_supported: z.array(z.string()).optional(),
    token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  })
  .loose();
export type SmartConfig = z.infer<typeof smartConfigSchema>;

/** A server's discovery document is the same across its launches: parse each distinct text once. */
const cache = new Map<string, SmartConfig | undefined>();
const CACHE_MAX = 32;

export function parseSmartConfig(text: string | undefined): SmartConfig | undefined {
  if (!text) return undefined;
  const known = cache.get(text);
  if (known !== undefined || cache.has(text)) return known;
  let parsed: SmartConfig | undefined;
  try {
    const r = smartConfigSchema.safeParse(JSON.parse(text));
    parsed = r.success ? r.data : undefined;
  } catch {
    parsed = undefined;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(text, parsed);
  return parsed;
}

/**
 * parseSmartConfig() of a captured body, remembered per body object while its text is the same:
 * correlation and diagnosis read the discovery document of an exchange several times, and finding
 * equal text in the cache above compares it character by character (the texts of two captures of
 * one document are different strings).
 */
const byBody = new WeakMap<object, { text: string; config: SmartConfig | undefined }>();

export function smartConfigOf(body: { text: string } | undefined): SmartConfig | undefined {
  if (!body?.text) return undefined;
  const memo = byBody.get(body);
  if (memo && memo.text === body.text) return memo.config;
  const config = parseSmartConfig(body.text);
  byBody.set(body, { text: body.text, config });
  return config;
}
