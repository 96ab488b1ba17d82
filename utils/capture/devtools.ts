import { redactBodyText, truncateUtf8 } from '../redact/body';
import { redactForm } from '../redact/form';
import { redactUrl } from '../redact/url';
import { formFromPairs, parseQuery } from '../url/query';
import { splitUrl } from '../url/split';
import { jsonForm } from './json-form';
import { isOracleHost, isRelevant } from './relevance';
import { formSecretFacts } from './secret-facts';

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
    r.method.toUpperCase() === 'POST' &&
    (TOKEN.test(path) || /(?:^|&)grant_type=|"grant_type"\s*:/.test(r.postText ?? ''));
  if (isToken) return true;
  if (!isRelevant({ url: r.url, method: r.method, type: 'fetch' })) return false;
  if (DISCOVERY.test(path)) return true;
  if (isOracleHost(host) && /\/errors\//.test(path)) return true;
  return r.status >= 400 || r.status === 0;
}

/** A request body that reads as a urlencoded form (`a=1&b=2`), parsed; undefined otherwise (JSON, text…). */
export function postForm(text: string | undefined): Record<string, string[]> | undefined {
  if (!text || !/^[\w.~%-]+=[^\s]*$/.test(text)) return undefined;
  return formFromPairs(parseQuery(text).params);
}

/**
 * The `devtools/response` payload: body bounded, and redacted unless the user keeps secrets. A token
 * request's form travels too (redacted the same way), with the facts of its code and verifier computed
 * here from the raw form, keyed with the per-install `secretKey` when the page could read it.
 */
export function devtoolsPayload(
  tabId: number,
  entry: FinishedRequest & { startedDateTime: string },
  body: string,
  keepSecrets: boolean,
  secretKey?: Uint8Array,
) {
  const { text: bounded, truncated } = truncateUtf8(body);
  // Only OAuth token forms: a login form's fields are of no use here and are not sent.
  const post = entry.method.toUpperCase() === 'POST';
  const urlEncoded = post ? postForm(entry.postText) : undefined;
  const json = post && !urlEncoded ? jsonForm(entry.postText) : undefined;
  const parsed = urlEncoded ?? json;
  const form = parsed?.grant_type ? parsed : undefined;
  const facts = formSecretFacts(form, secretKey);
  // The form first: masking its code or secret lets the body's redaction mask the same value where the
  // answer echoes it ("The authorization code … was already used").
  const sentForm = form && !keepSecrets ? redactForm(form) : form;
  return {
    tabId,
    url: keepSecrets ? entry.url : redactUrl(entry.url),
    method: entry.method,
    status: entry.status,
    startedDateTime: entry.startedDateTime,
    ...(entry.mimeType ? { mimeType: entry.mimeType } : {}),
    text: keepSecrets ? bounded : redactBodyText(bounded, entry.mimeType),
    ...(truncated ? { truncated: true as const } : {}),
    ...(sentForm ? { form: sentForm } : {}),
    ...(form && json ? { formFormat: 'json' as const } : {}),
    ...(facts ? { secretFacts: facts } : {}),
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
