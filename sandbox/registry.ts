/**
 * The sandbox's app registry (what Code Console holds for each app), read from a JSON file and validated
 * with zod so that a bad file fails at start with the offending field named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const DEFAULT_REGISTRY_PATH = fileURLToPath(new URL('./apps.json', import.meta.url));

const absoluteUrl = z.string().refine((s) => URL.canParse(s), { message: 'must be an absolute URL' });

export const AppSchema = z
  .object({
    clientId: z.string().min(1),
    /** Code Console's app id used in `smart.cerner.com/smart/<tenant>/apps/<appId>`; defaults to clientId. */
    appId: z.string().min(1).optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    persona: z.enum(['provider', 'patient']),
    type: z.enum(['public', 'confidential']),
    clientSecret: z.string().min(1).optional(),
    smartVersion: z.enum(['v1', 'v2']),
    launchUri: absoluteUrl,
    redirectUris: z.array(absoluteUrl).min(1),
    /** Scopes the app is allowed to be granted; anything else it asks for is dropped. */
    scopes: z.array(z.string().min(1)).min(1),
    /** Lifetime of this app's access tokens (default Oracle's 570 s); short ones let tokens expire on cue. */
    accessTokenSeconds: z.number().int().min(1).max(86_400).optional(),
    /** Scopes the tenant's policy refuses for this app: asking for one → access_denied + denied-by-server. */
    deniedScopes: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((a) => a.type === 'public' || a.clientSecret !== undefined, {
    message: 'a confidential app needs a clientSecret',
    path: ['clientSecret'],
  });

export const RegistrySchema = z
  .object({ $comment: z.string().optional(), apps: z.array(AppSchema).min(1) })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.apps.forEach((a, i) => {
      for (const id of new Set([a.clientId, a.appId ?? a.clientId])) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${id}`, path: ['apps', i] });
        seen.add(id);
      }
    });
  });

export type RegisteredApp = z.infer<typeof AppSchema> & { appId: string };

export interface Registry {
  apps: RegisteredApp[];
  byClientId(clientId: string): RegisteredApp | undefined;
  byAppId(appId: string): RegisteredApp | undefined;
}

export class RegistryError extends Error {}

export function parseRegistry(json: unknown, source = 'registry'): Registry {
  const parsed = RegistrySchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RegistryError(`Invalid app registry ${source}:\n${lines.join('\n')}`);
  }
  const apps = parsed.data.apps.map((a) => ({ ...a, appId: a.appId ?? a.clientId }));
  return {
    apps,
    byClientId: (id) => apps.find((a) => a.clientId === id),
    byAppId: (id) => apps.find((a) => a.appId === id),
  };
}

export function loadRegistry(path = DEFAULT_REGISTRY_PATH): Registry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RegistryError(`Cannot read app registry ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(`App registry ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseRegistry(json, path);
}
