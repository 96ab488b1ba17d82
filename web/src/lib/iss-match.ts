import type { IssMatch, ServerEntry } from './config-schema';

export type RegexResult = { ok: true; regex?: RegExp } | { ok: false; error: string };

/** The compiled regex of an `{ regex }` issMatch (none for an exact string), or why it does not compile. */
export function issMatchRegex(m: IssMatch): RegexResult {
  if (typeof m === 'string') return { ok: true };
  try {
    return { ok: true, regex: new RegExp(m.regex, m.flags ?? '') };
  } catch (e) {
    return { ok: false, error: `invalid regular expression: ${(e as Error).message}` };
  }
}

/**
 * An iss as servers compare it: scheme and host in lower case (RFC 3986 §6.2.2.1: they are
 * case-insensitive), without a trailing slash, which servers and EHRs add or drop freely.
 */
function normalIss(iss: string): string {
  let out = iss;
  try {
    const u = new URL(iss);
    out = `${u.protocol}//${u.host}${u.pathname}${u.search}`;
  } catch {
    // Not a URL: compared as written.
  }
  return out.replace(/\/+$/, '');
}

/** Exact strings compare as normalIss() writes them; a regex is tried on the iss as sent and normalized. */
export function issMatches(m: IssMatch, iss: string): boolean {
  if (typeof m === 'string') return normalIss(m) === normalIss(iss);
  const r = issMatchRegex(m);
  return r.ok && !!r.regex && (r.regex.test(iss) || r.regex.test(normalIss(iss)));
}

/** Entries usable from this page's origin (an entry without `origins` applies everywhere). */
export function serversForOrigin(servers: ServerEntry[], origin: string): ServerEntry[] {
  return servers.filter((s) => !s.origins || s.origins.some((o) => new URL(o).origin === origin));
}

/** The first entry, in file order, that fits both the launch's iss and the page origin. */
export function findServerForIss(
  servers: ServerEntry[],
  iss: string,
  origin: string,
): ServerEntry | undefined {
  return serversForOrigin(servers, origin).find((s) => issMatches(s.issMatch, iss));
}
