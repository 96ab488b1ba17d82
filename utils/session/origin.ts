export type OriginParseResult =
  | { ok: true; origin: string; host: string; secure: boolean }
  | { ok: false; error: string };

/** Accepts an origin or any URL on it; returns the normalized origin (scheme://host[:port]). */
export function parseOrigin(input: string): OriginParseResult {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, error: `Not a URL: ${input.slice(0, 100)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: 'Only http and https origins have cookies and site storage to clear.' };
  }
  return { ok: true, origin: url.origin, host: url.hostname, secure: url.protocol === 'https:' };
}
