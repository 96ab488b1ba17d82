import { z } from 'zod';

/**
 * The companion's server configuration (web/config/servers.json): one entry per SMART server. Every rule
 * carries its own message so a broken file is reported as "which field, why" on the page.
 */

export const PKCE_MODES = ['ifSupported', 'required', 'disabled', 'unsafeV1'] as const;
export const PERSONAS = ['provider', 'patient'] as const;

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an absolute http(s) URL` });

/** A plain string matches the iss exactly; `{ regex }` is a regular expression source. */
const issMatchSchema = z.union(
  [
    z.string().min(1, { error: 'must not be empty' }),
    z.strictObject({
      regex: z.string().min(1, { error: 'must not be empty' }),
      flags: z
        .string()
        .regex(/^[imsu]*$/, { error: 'only the flags i, m, s and u are allowed' })
        .optional(),
    }),
  ],
  { error: 'must be an exact iss string or { "regex": "<source>" }' },
);

/** './auth', '/launch/auth' or an absolute URL; resolved against the page by fhirclient. */
const redirectUriSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .refine((v) => /^(https?:\/\/|\.{0,2}\/)/.test(v), {
    error: 'must be an absolute http(s) URL or a relative path starting with "./", "../" or "/"',
  });

export const serverEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'use lowercase letters, digits and dashes' }),
  label: z.string().min(1, { error: 'must not be empty' }),
  issMatch: issMatchSchema,
  /** FHIR base offered as a standalone-launch preset; entries without it serve EHR launches only. */
  iss: httpUrl('iss').optional(),
  /** Page origins this entry applies to (a registration is usually per origin); all when absent. */
  origins: z.array(httpUrl('each origin')).optional(),
  clientId: z.string().min(1, { error: 'must not be empty' }),
  scope: z.string().trim().min(1, { error: 'must list at least one scope' }),
  redirectUri: redirectUriSchema,
  pkceMode: z.enum(PKCE_MODES, { error: `must be one of ${PKCE_MODES.join(', ')}` }).default('ifSupported'),
  persona: z.enum(PERSONAS, { error: `must be one of ${PERSONAS.join(', ')}` }),
  /** How the app is registered; picks the matching scope preset. */
  smartVersion: z.enum(['v1', 'v2'], { error: 'must be "v1" or "v2"' }).optional(),
  /** Shown on the launcher: e.g. which Code Console registration this needs. */
  note: z.string().optional(),
  /** The companion is a public client; a confidential registration needs a backend, say so here. */
  confidentialNote: z.string().optional(),
});

export const serversFileSchema = z.strictObject({
  $schema: z.string().optional(),
  servers: z.array(serverEntrySchema).min(1, { error: 'must contain at least one server' }),
});

export type IssMatch = z.infer<typeof issMatchSchema>;
export type ServerEntry = z.infer<typeof serverEntrySchema>;
export type ServersFile = z.infer<typeof serversFileSchema>;
