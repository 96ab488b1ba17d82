import { explainFhir401 } from './explain-fhir-auth';
import { type FhirFetchDeps, outcomeText } from './smoke-run';

export type FhirGet<T> = { ok: true; resource: T } | { ok: false; message: string };

/** GET one resource (relative path or absolute URL) with the access token; never throws. */
export async function fhirGet<T>(deps: FhirFetchDeps, path: string): Promise<FhirGet<T>> {
  const url = /^https?:\/\//.test(path) ? path : `${deps.baseUrl.replace(/\/+$/, '')}/${path}`;
  try {
    const res = await deps.fetch(url, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${deps.accessToken}` },
    });
    if (res.status === 401) {
      const header = res.headers.get('www-authenticate');
      const why = explainFhir401({
        body: await res.text(),
        ...(header ? { wwwAuthenticate: header } : {}),
        ...(deps.expiresAt !== undefined ? { expiresAt: deps.expiresAt } : {}),
        now: Date.now() / 1000,
        url,
      });
      return { ok: false, message: `HTTP 401 for ${path}: ${why}` };
    }
    if (!res.ok) return { ok: false, message: `HTTP ${res.status} for ${path}${await said(res)}` };
    const text = await res.text();
    try {
      return { ok: true, resource: JSON.parse(text) as T };
    } catch {
      // The parser's message would quote the body; what matters is that it is no JSON.
      return {
        ok: false,
        message: `HTTP ${res.status} for ${path}, but ${/^\s*</.test(text) ? 'as XML' : 'not as JSON'} although the app asked for JSON (Accept: application/fhir+json)`,
      };
    }
  } catch (e) {
    return { ok: false, message: `${(e as Error).message} (${path})` };
  }
}

/** What a refusal says beyond its status: the OperationOutcome's text, and when to try again (429, 503). */
async function said(res: Response): Promise<string> {
  let outcome: string | undefined;
  try {
    outcome = outcomeText(JSON.parse(await res.text()));
  } catch {
    outcome = undefined;
  }
  const retry = res.headers.get('retry-after');
  return `${outcome ? `: ${outcome}` : ''}${retry ? ` (the server asks to retry after ${retry}${/^\d+$/.test(retry) ? ' s' : ''})` : ''}`;
}
