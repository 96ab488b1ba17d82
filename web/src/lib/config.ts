import type { z } from 'zod';
import { type ServerEntry, type ServersFile, serverEntrySchema, serversFileSchema } from './config-schema';
import { issMatches, issMatchRegex } from './iss-match';

export interface ConfigIssue {
  /** JSON path of the offending field, e.g. `servers[2].clientId`. */
  path: string;
  /** The entry's id when the issue sits inside a server entry, to find it quickly in the file. */
  entry?: string;
  message: string;
}

export type ConfigResult = { ok: true; config: ServersFile } | { ok: false; issues: ConfigIssue[] };

const ENTRY_FIELDS = Object.keys(serverEntrySchema.shape).join(', ');

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(file)';
}

function entryId(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'servers' || typeof path[1] !== 'number') return undefined;
  const servers = (input as { servers?: unknown })?.servers;
  const entry = Array.isArray(servers) ? servers[path[1]] : undefined;
  const id = (entry as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : undefined;
}

function toIssues(input: unknown, error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const entry = entryId(input, issue.path);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const path = formatPath(key === undefined ? issue.path : [...issue.path, key]);
      const inEntry = issue.path.length === 2;
      const message =
        key === undefined
          ? issue.message
          : `unknown field${inEntry ? ` (allowed: ${ENTRY_FIELDS})` : ''}; check its spelling`;
      out.push(entry ? { path, entry, message } : { path, message });
    }
  }
  return out;
}

/** Checks a schema cannot express: unique ids, compilable regexes, presets that match their own issMatch. */
function crossCheck(config: ServersFile): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  config.servers.forEach((s: ServerEntry, i) => {
    const at = `servers[${i}]`;
    const first = seen.get(s.id);
    if (first !== undefined)
      out.push({ path: `${at}.id`, entry: s.id, message: `duplicate id; servers[${first}] already uses it` });
    else seen.set(s.id, i);
    const re = issMatchRegex(s.issMatch);
    if (!re.ok) out.push({ path: `${at}.issMatch.regex`, entry: s.id, message: re.error });
    else if (s.iss && !issMatches(s.issMatch, s.iss))
      out.push({
        path: `${at}.iss`,
        entry: s.id,
        message: `"${s.iss}" does not match this entry's issMatch`,
      });
  });
  return out;
}

export function parseServersConfig(input: unknown): ConfigResult {
  const r = serversFileSchema.safeParse(input);
  if (!r.success) return { ok: false, issues: toIssues(input, r.error) };
  const issues = crossCheck(r.data);
  return issues.length ? { ok: false, issues } : { ok: true, config: r.data };
}

/** Parse the file's text: JSON syntax errors are reported with the parser's position. */
export function parseServersConfigText(text: string): ConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseServersConfig(json);
}
