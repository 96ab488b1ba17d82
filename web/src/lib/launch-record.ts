import { z } from 'zod';

/**
 * What the last launch in this tab was, kept in sessionStorage (same lifetime and scope as fhirclient's
 * own state) so the results page can offer a faithful Relaunch.
 */
export const launchRecordSchema = z.object({
  kind: z.enum(['ehr', 'standalone']),
  serverId: z.string(),
  serverLabel: z.string(),
  iss: z.string(),
  clientId: z.string(),
  scope: z.string(),
  redirectUri: z.string(),
  pkceMode: z.enum(['ifSupported', 'required', 'disabled', 'unsafeV1']),
  /** The page URL the EHR opened (an EHR launch code is single-use, so relaunching means going back there). */
  launchUrl: z.string().optional(),
});
export type LaunchRecord = z.infer<typeof launchRecordSchema>;

export const LAUNCH_RECORD_KEY = 'smart-companion:last-launch';

export function saveLaunchRecord(storage: Storage, record: LaunchRecord): void {
  storage.setItem(LAUNCH_RECORD_KEY, JSON.stringify(record));
}

export function readLaunchRecord(storage: Storage): LaunchRecord | undefined {
  try {
    const r = launchRecordSchema.safeParse(JSON.parse(storage.getItem(LAUNCH_RECORD_KEY) ?? 'null'));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** fhirclient's state of this launch, as far as the companion reads it (fhirclient's `smart.js`). */
const fhirclientStateSchema = z.object({
  authorizeUri: z.string().optional(),
  tokenUri: z.string().optional(),
});

/**
 * fhirclient's state of the launch a redirect answers: it is kept in sessionStorage under the `state`
 * value of the request (else under `SMART_KEY`). Undefined when this tab holds no such state (state
 * lost, another tab), which the redirect's own explanation covers.
 */
function launchStateOf(storage: Storage, params: URLSearchParams) {
  try {
    const key = params.get('state') ?? (JSON.parse(storage.getItem('SMART_KEY') ?? 'null') as unknown);
    if (typeof key !== 'string' || !key) return undefined;
    const state = fhirclientStateSchema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
    return state.success ? state.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state of the launch this tab started and has not completed: fhirclient's authorize() keeps its key
 * under `SMART_KEY` (JSON) and the launch under that key, and ready() stores the token response there once
 * the code is exchanged. Undefined when the tab holds no launch, or only a completed one.
 */
export function launchInProgressState(storage: Storage): string | undefined {
  try {
    const key = JSON.parse(storage.getItem('SMART_KEY') ?? 'null') as unknown;
    if (typeof key !== 'string' || !key) return undefined;
    const launch = pendingLaunchSchema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
    return launch.success && !launch.data.tokenResponse?.access_token ? key : undefined;
  } catch {
    return undefined;
  }
}

const pendingLaunchSchema = z.object({
  tokenResponse: z.object({ access_token: z.unknown().optional() }).optional(),
});

/** The authorize URL fhirclient sent the browser to for the launch a redirect answers. */
export function authorizeUriOf(storage: Storage, params: URLSearchParams): string | undefined {
  return launchStateOf(storage, params)?.authorizeUri || undefined;
}

/** The token endpoint of the launch a redirect answers. */
export function tokenUriOf(storage: Storage, params: URLSearchParams): string | undefined {
  return launchStateOf(storage, params)?.tokenUri || undefined;
}
