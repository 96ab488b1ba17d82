import type { fhirclient } from 'fhirclient/lib/types';
import type { ServerEntry } from './config-schema';
import type { LaunchRecord } from './launch-record';
import { newStateKey, type RandomFill } from './state-key';

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
  random?: RandomFill,
): fhirclient.AuthorizeParams {
  const opts: fhirclient.AuthorizeParams = {
    clientId: o.clientId?.trim() || entry.clientId,
    scope: (o.scope ?? entry.scope).trim().split(/\s+/).join(' '),
    // Resolved here (not by fhirclient) so a relaunch from another page sends the same redirect_uri.
    redirectUri: new URL(entry.redirectUri, pageUrl).href,
    pkceMode: entry.pkceMode,
    // The companion is a single page per step; it never completes in a popup or frame.
    completeInTarget: true,
    stateKey: newStateKey(random),
  };
  const iss = o.iss?.trim() || undefined;
  if (iss) opts.iss = iss;
  return opts;
}

/** Repeat a recorded standalone launch as it was, with a fresh state. */
export function relaunchOptions(record: LaunchRecord, random?: RandomFill): fhirclient.AuthorizeParams {
  return {
    iss: record.iss,
    clientId: record.clientId,
    scope: record.scope,
    redirectUri: record.redirectUri,
    pkceMode: record.pkceMode,
    completeInTarget: true,
    stateKey: newStateKey(random),
  };
}
