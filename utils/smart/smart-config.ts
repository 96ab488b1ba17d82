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
  })
  .loose();
export type SmartConfig = z.infer<typeof smartConfigSchema>;

/** A server's discovery document is the same across its launches: parse each distinct text once. */
const cache = new Map<string, SmartConfig | undefined>();
const CACHE_MAX = 32;

export function parseSmartConfig(text: string | undefined): SmartConfig | undefined {
  if (!text) return undefined;
  if (cache.has(text)) return cache.get(text);
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
