import { type ConfigResult, parseServersConfigText } from './config';

/**
 * The config is fetched at run time (not bundled) so a deployment can put its own Code Console client
 * ids into dist/config/servers.json without rebuilding.
 */
export async function loadServersConfig(url: string, fetchImpl: typeof fetch = fetch): Promise<ConfigResult> {
  let res: Response;
  try {
    res = await fetchImpl(url, { cache: 'no-store' });
  } catch (e) {
    return {
      ok: false,
      issues: [{ path: '(file)', message: `could not load ${url}: ${(e as Error).message}` }],
    };
  }
  if (!res.ok)
    return { ok: false, issues: [{ path: '(file)', message: `${url} answered HTTP ${res.status}` }] };
  return parseServersConfigText(await res.text());
}
