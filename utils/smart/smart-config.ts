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

export function parseSmartConfig(text: string | undefined): SmartConfig | undefined {
  if (!text) return undefined;
  try {
    const r = smartConfigSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
