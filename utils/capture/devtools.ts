import { redactBodyText, truncateUtf8 } from '../redact/body';
import { redactUrl } from '../redact/url';
import { splitUrl } from '../url/split';
import { isOracleHost, isRelevant } from './relevance';

/** What the DevTools page knows about a finished request (from its HAR entry). */
export interface FinishedRequest {
  url: string;
  method: string;
  status: number;
  mimeType?: string;
  /** Request body text, when the request had one (token POSTs). */
  postText?: string;
}

const DISCOVERY = /\/\.well-known\/(?:smart-configuration|openid-configuration)\/?$|\/metadata\/?$/i;
const TOKEN = /\/token\/?$/i;

/**
 * Which response bodies are worth keeping: token responses, discovery documents, Oracle error pages and
 * any failed SMART-relevant response (FHIR OperationOutcome, OAuth error JSON). Page assets and
 * successful FHIR payloads (patient data) are not kept.
 */
export function bodyWanted(r: FinishedRequest): boolean {
  const { host, path } = splitUrl(r.url);
  const isToken =
    r.method.toUpperCase() === 'POST' && (TOKEN.test(path) || /(?:^|&)grant_type=/.test(r.postText ?? ''));
  if (isToken) return true;
  if (!isRelevant({ url: r.url, method: r.method, type: 'fetch' })) return false;
  if (DISCOVERY.test(path)) return true;
  if (isOracleHost(host) && /\/errors\//.test(path)) return true;
  return r.status >= 400 || r.status === 0;
}

/** The `devtools/response` payload: body bounded, and redacted unless the user keeps secrets. */
export function devtoolsPayload(
  tabId: number,
  entry: FinishedRequest & { startedDateTime: string },
  body: string,
  keepSecrets: boolean,
) {
  const bounded = truncateUtf8(body).text;
  return {
    tabId,
    url: keepSecrets ? entry.url : redactUrl(entry.url),
    method: entry.method,
    status: entry.status,
    startedDateTime: entry.startedDateTime,
    ...(entry.mimeType ? { mimeType: entry.mimeType } : {}),
    text: keepSecrets ? bounded : redactBodyText(bounded, entry.mimeType),
  };
}

/** Decode a body DevTools returned base64-encoded; undefined for binary content. */
export function decodeDevtoolsBody(content: string, encoding: string | undefined): string | undefined {
  if (encoding !== 'base64') return content;
  try {
    const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A finished request as the DevTools network API hands it over; `getContent` varies by browser and wrapper. */
export interface ContentSource {
  getContent(...args: unknown[]): unknown;
}

/**
 * Reads a finished request's body whichever form `getContent` takes: Chrome's callback
 * (`getContent(cb(content, encoding))`), or a promise of `[content, encoding]` (Firefox, and the
 * webextension-polyfill wrapper, which throws when given a callback).
 */
export function readContent(request: ContentSource): Promise<{ content: string | null; encoding: string }> {
  return new Promise((resolve, reject) => {
    const done = (content: unknown, encoding: unknown) =>
      resolve({
        content: typeof content === 'string' ? content : null,
        encoding: typeof encoding === 'string' ? encoding : '',
      });
    const fromPromise = (value: unknown) => {
      if (!value || typeof (value as Promise<unknown>).then !== 'function') return false;
      (value as Promise<unknown>).then((pair) => {
        const [content, encoding] = Array.isArray(pair) ? pair : [pair, ''];
        done(content, encoding);
      }, reject);
      return true;
    };
    let returned: unknown;
    try {
      returned = request.getContent(done);
    } catch {
      // A promise-only wrapper refuses the callback.
      try {
        if (!fromPromise(request.getContent())) reject(new Error('getContent returned no content'));
      } catch (error) {
        reject(error);
      }
      return;
    }
    fromPromise(returned);
  });
}
