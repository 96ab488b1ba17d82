import type { LaunchProblem } from './explain';

/** What one discovery read gave: the document's endpoints, or why there are none. */
type Read =
  | { url: string; outcome: 'network'; message: string }
  | { url: string; outcome: 'status'; status: number }
  | { url: string; outcome: 'no-endpoint' }
  | { url: string; outcome: 'found'; authorize: string };

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

async function read(
  url: string,
  accept: string,
  fetchImpl: typeof fetch,
  endpoint: (json: unknown) => string | undefined,
): Promise<Read> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept } });
  } catch (e) {
    return { url, outcome: 'network', message: e instanceof Error ? e.message : String(e) };
  }
  if (!res.ok) return { url, outcome: 'status', status: res.status };
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return { url, outcome: 'no-endpoint' };
  }
  const authorize = endpoint(json);
  return authorize ? { url, outcome: 'found', authorize } : { url, outcome: 'no-endpoint' };
}

function wellKnownEndpoint(json: unknown): string | undefined {
  const v = (json as { authorization_endpoint?: unknown } | null)?.authorization_endpoint;
  return typeof v === 'string' && v ? v : undefined;
}

/** The `authorize` URI of a CapabilityStatement's oauth-uris security extension. */
function capabilityEndpoint(json: unknown): string | undefined {
  const rest = (json as { rest?: unknown } | null)?.rest;
  if (!Array.isArray(rest)) return undefined;
  for (const r of rest) {
    const exts = (r as { security?: { extension?: unknown } })?.security?.extension;
    if (!Array.isArray(exts)) continue;
    for (const e of exts as { url?: string; extension?: { url?: string; valueUri?: string }[] }[]) {
      if (e?.url !== OAUTH_URIS || !Array.isArray(e.extension)) continue;
      const authorize = e.extension.find((x) => x?.url === 'authorize')?.valueUri;
      if (authorize) return authorize;
    }
  }
  return undefined;
}

function said(r: Read, what: string): string {
  switch (r.outcome) {
    case 'network':
      return `GET ${r.url} failed in the browser ("${r.message}"): blocked by CORS for this page's origin, or unreachable (the browser does not say which).`;
    case 'status':
      return `GET ${r.url} answered HTTP ${r.status}.`;
    case 'no-endpoint':
      return `${r.url} answered, but ${what}.`;
    case 'found':
      return `${r.url} names the authorization endpoint ${r.authorize} now.`;
  }
}

/**
 * ready() came back without an access token: fhirclient found no authorization endpoint for the server
 * and skipped OAuth (it does so silently, whatever went wrong). Reads the server's SMART discovery
 * and CapabilityStatement again, as fhirclient did, to say which of them failed and how.
 */
export async function explainNoAuthorization(
  serverUrl: string,
  origin: string,
  fetchImpl: typeof fetch,
): Promise<LaunchProblem> {
  const base = serverUrl.replace(/\/+$/, '');
  const [wellKnown, metadata] = await Promise.all([
    read(`${base}/.well-known/smart-configuration`, 'application/json', fetchImpl, wellKnownEndpoint),
    read(`${base}/metadata`, 'application/fhir+json, application/json', fetchImpl, capabilityEndpoint),
  ]);
  const causes = [
    said(wellKnown, 'the document has no authorization_endpoint'),
    said(metadata, 'the CapabilityStatement has no oauth-uris security extension naming an authorize URI'),
  ];
  const foundNow = wellKnown.outcome === 'found' || metadata.outcome === 'found';
  let openHost = false;
  try {
    openHost = new URL(serverUrl).hostname === 'fhir-open.cerner.com';
  } catch {
    // Not a URL: no host to name.
  }
  if (openHost)
    causes.unshift(
      "The iss is Oracle's open (unsecured) FHIR endpoint, fhir-open.cerner.com, which has no authorization server.",
    );
  else if (foundNow)
    causes.unshift(
      'Discovery works when read again: it failed only while the app launched (the server was briefly unavailable, or answered that request differently).',
    );
  const blocked = wellKnown.outcome === 'network';
  const fixes = openHost
    ? ['Launch with the secure FHIR base (fhir-ehr-code for providers, fhir-myrecord for patients).']
    : foundNow
      ? ['Relaunch.']
      : [
          blocked
            ? `Server side: serve .well-known/smart-configuration with CORS open to any origin (at least ${origin}); SMART discovery is read by the page.`
            : 'Server side: serve .well-known/smart-configuration with authorization_endpoint and token_endpoint (SMART App Launch 2).',
          'Check that the iss is the secured FHIR base of the server, not an open endpoint.',
        ];
  return {
    kind: 'discovery',
    title: 'No authorization happened: SMART discovery gave no authorization endpoint',
    summary: `fhirclient found no authorization endpoint for ${serverUrl}, so it skipped OAuth and returned without an access token.`,
    causes,
    fixes,
    details: [
      { label: 'iss', value: serverUrl },
      { label: '.well-known/smart-configuration', value: outcomeText(wellKnown) },
      { label: 'metadata', value: outcomeText(metadata) },
    ],
  };
}

function outcomeText(r: Read): string {
  switch (r.outcome) {
    case 'network':
      return `network error: ${r.message}`;
    case 'status':
      return `HTTP ${r.status}`;
    case 'no-endpoint':
      return 'no authorization endpoint';
    case 'found':
      return `authorize: ${r.authorize}`;
  }
}
