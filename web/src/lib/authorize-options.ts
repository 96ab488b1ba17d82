import type { fhirclient } from 'fhirclient/lib/types';
import type { ServerEntry } from './config-schema';

export interface LaunchOverrides {
  iss?: string;
  clientId?: string;
  scope?: string;
}

/**
 * fhirclient options for one server entry. For an EHR launch `iss` and `launch` come from the page URL
 * (fhirclient reads them itself); a standalone launch passes the chosen FHIR base as `iss`.
 */
export function authorizeOptions(
  entry: ServerEntry,
  o: LaunchOverrides,
  pageUrl: string,
): fhirclient.AuthorizeParams {
  const opts: fhirclient.AuthorizeParams = {
    clientId: o.clientId?.trim() || entry.clientId,
    scope: (o.scope ?? entry.scope).trim().split(/\s+/).join(' '),
    // Resolved here (not by fhirclient) so a relaunch from another page sends the same redirect_uri.
    redirectUri: new URL(entry.redirectUri, pageUrl).href,
    pkceMode: entry.pkceMode,
    // The companion is a single page per step; it never completes in a popup or frame.
    completeInTarget: true,
  };
  const iss = o.iss?.trim() || undefined;
  if (iss) opts.iss = iss;
  return opts;
}
