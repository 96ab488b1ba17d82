import { randomBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { boundUrl } from '../capture/bounds';
import { jsonForm, jsonInForm } from '../capture/json-form';
import { isRelevant, leadsIntoLaunch } from '../capture/relevance';
import {
  formSecretFacts,
  mergeSecretFacts,
  SECRET_KEY_BYTES,
  tokenSecretFacts,
  urlSecretFacts,
} from '../capture/secret-facts';
import { SELECTED_RESPONSE_HEADERS } from '../capture/state';
import { errorMessage } from '../errors';
import type { Exchange, SecretFacts } from '../model';
import { redactExchange } from '../redact';
import { captureBody } from '../redact/body';
import { cookieSummary, setCookieName } from '../redact/headers';
import { looksEncoded } from '../url/percent';
import { formFromPairs, parseQuery } from '../url/query';
import { CREATOR } from './export';
import { type HarEntry, type HarHeader, harEntrySchema, harSchema } from './schema';
import { webRequestType } from './types';

/** Largest HAR text accepted (characters). */
export const MAX_HAR_CHARS = 50 * 1024 * 1024;

/** A HAR file we cannot use; the message says why in words a user can act on. */
export class HarImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarImportError';
  }
}

/** A file with requests, none of them of a SMART launch (utils/launch/correlate.ts, looksSmart). */
export function noSmartLaunch(fileName: string): HarImportError {
  return new HarImportError(
    `${fileName} holds no SMART launch: nothing in it names a FHIR server, an EHR launch or a SMART scope (sign-ins to other sites are left out).`,
  );
}

function parseJson(text: string, fileName: string): unknown {
  if (text.length > MAX_HAR_CHARS) {
    throw new HarImportError(
      `${fileName} is larger than ${MAX_HAR_CHARS / 1024 / 1024} MB; save a shorter recording.`,
    );
  }
  if (!text.trim()) throw new HarImportError(`${fileName} is empty.`);
  const format = binaryFormat(text);
  if (format) throw new HarImportError(`${fileName} is not a HAR file: ${format}`);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const why = errorMessage(error);
    throw new HarImportError(`${fileName} is not a HAR file: it is not valid JSON (${why.slice(0, 120)}).`);
  }
}

/** What a file that is no text is, by its first bytes as they read as UTF-8; undefined for text. */
function binaryFormat(text: string): string | undefined {
  if (text.startsWith('PK\u0003\u0004'))
    return 'it is a ZIP archive read as text. Import the .zip file as it is (the log page and the CLI read the .zip Playwright saves, the HAR and its bodies), or the .har file inside it.';
  if (text.charCodeAt(0) === 0x1f && (text.charCodeAt(1) === 0x8b || text.charCodeAt(1) === 0xfffd))
    return 'it is gzip-compressed. Decompress it (gunzip) and import the .har file.';
  // mitmproxy's flow files are tnetstrings: a length, a colon, then `…:version;`.
  if (/^\d+:\d+:version;/.test(text.slice(0, 40)))
    return 'it is a mitmproxy flow file. Save a HAR from it (mitmdump -nr <flows> --set hardump=<file>.har) and import that.';
  const head = text.slice(0, 200);
  let nul = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nul++;
  if (nul > head.length / 4)
    return 'it looks like UTF-16 text; HAR files are UTF-8 (HAR 1.2). Save it again as UTF-8.';
  return undefined;
}

/**
 * Parse a HAR 1.2 file (as saved by Chrome DevTools → Network → "Save all as HAR") into the
 * SMART-relevant exchanges it contains, redacted like live captures. Throws HarImportError with a
 * clear message for broken or foreign files.
 *
 * Code fingerprints are keyed with `secretKey`; without one a random key is used for this file alone,
 * which is enough to pair the file's callbacks and token requests with each other.
 */
export function importHar(
  text: string,
  fileName: string,
  importId: string,
  secretKey: Uint8Array = randomBytes(SECRET_KEY_BYTES),
): Exchange[] {
  return readHar(text, fileName, importId, secretKey).exchanges;
}

/** What a HAR import read: the exchanges, and the entries it skipped as malformed. */
export interface HarRead {
  exchanges: Exchange[];
  /** Entries not valid HAR 1.2 (a field missing or of the wrong type), skipped; the rest is read. */
  skipped: { count: number; first: string[] };
}

/** importHar(), saying which entries it skipped. */
export function readHar(
  text: string,
  fileName: string,
  importId: string,
  secretKey: Uint8Array = randomBytes(SECRET_KEY_BYTES),
): HarRead {
  const json = parseJson(text, fileName);
  if (typeof json !== 'object' || json === null || !('log' in json)) {
    // A Charles session (.chlsj): a list of requests with scheme, host and path.
    const first: unknown = Array.isArray(json) ? json[0] : undefined;
    const charles =
      !!first && typeof first === 'object' && 'scheme' in first && 'host' in first && 'path' in first;
    throw new HarImportError(
      charles
        ? `${fileName} is a Charles session (JSON), not a HAR file. In Charles use File → Export Session… and choose HTTP Archive (.har).`
        : `${fileName} is not a HAR file: it has no "log" object. In DevTools use Network → "Save all as HAR".`,
    );
  }
  const parsed = harSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new HarImportError(`${fileName} is not a valid HAR 1.2 file (${where}).`);
  }
  const raw = parsed.data.log.entries;
  if (raw.length === 0) throw new HarImportError(`${fileName} contains no requests.`);
  const entries: HarEntry[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (let i = 0; i < raw.length; i++) {
    const entry = harEntrySchema.safeParse(raw[i]);
    if (entry.success) entries.push(withQueryString(entry.data));
    else {
      skipped++;
      if (problems.length < 3) {
        const issue = entry.error.issues[0];
        problems.push(
          `log.entries.${i}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message}`,
        );
      }
    }
  }
  // Nothing readable: the file is no HAR of requests at all.
  if (entries.length === 0)
    throw new HarImportError(
      `${fileName} is not a valid HAR 1.2 file: ${raw.length === 1 ? 'its only entry is not' : `none of its ${raw.length} entries is`} a request as HAR 1.2 describes one (${problems.join('; ')}${skipped > problems.length ? '; …' : ''}).`,
    );
  return {
    exchanges: toExchanges(entries, importId, secretKey, parsed.data.log.creator?.name === CREATOR.name, {
      keepsCookies: /^firefox$/i.test(parsed.data.log.creator?.name ?? ''),
    }),
    skipped: { count: skipped, first: problems },
  };
}

/** "3 malformed entries skipped (…)", or '' when none was. */
export function skippedNote(read: Pick<HarRead, 'skipped'>): string {
  const { count, first } = read.skipped;
  if (count === 0) return '';
  return `${count} malformed ${count === 1 ? 'entry' : 'entries'} skipped (${first.join('; ')}${count > first.length ? '; …' : ''})`;
}

/**
 * `ours`: a file this tool exported (export.ts). Every entry in it was a step of a launch, and it carries
 * how the recorder saw each one (`_source`, `_tabId`, `_secretFacts`), so it reads as the log read it:
 * a callback seen only as a navigation stays so (its token request could not be seen), and the
 * fingerprints the masked values no longer give are kept.
 */
function toExchanges(
  entries: HarEntry[],
  importId: string,
  secretKey: Uint8Array,
  ours: boolean,
  /** The exporter keeps every Cookie header (Firefox): a request without one sent none. */
  exporter: { keepsCookies: boolean } = { keepsCookies: false },
): Exchange[] {
  const out: Exchange[] = [];
  /**
   * Redirect target URL without its fragment → the chain (request id and last hop) waiting for it, and
   * the target as the redirect named it.
   */
  const waiting = new Map<string, { requestId: string; hop: number; location: string }>();
  const sorted = chainsInOrder(
    entries
      .map((entry, index) => ({ entry, index, at: Date.parse(entry.startedDateTime) }))
      .sort((a, b) => (a.at || 0) - (b.at || 0) || a.index - b.index),
  );
  /** Entries seen, by method and URL; compared whole only when one overlaps another in time. */
  const seen = new Map<string, HarEntry[]>();
  const keepsCookies =
    exporter.keepsCookies ||
    entries.some(
      (e) => header(e.request.headers, 'cookie') !== undefined || (e.request.cookies?.length ?? 0) > 0,
    );
  for (const { entry, index, at } of sorted) {
    if (isRepeat(seen, entry)) continue;
    const key = withoutFragment(entry.request.url);
    const chain = waiting.get(key);
    if (chain) waiting.delete(key);
    // Browsers send no fragment, so a HAR's request URL has none; the page loaded the URL the redirect
    // named, fragment included: an authorization response sent as `#code=…&state=…` or `#error=…`
    // (`response_mode=fragment`) is in it, as webNavigation records it live.
    const url = chain && !entry.request.url.includes('#') ? chain.location : entry.request.url;
    const json = jsonTokenForm(entry);
    const multipart = json ? undefined : multipartForm(entry);
    const form = json ?? multipart ?? formOf(entry);
    const type = frameType(entry, webRequestType(entry._resourceType));
    if (
      !ours &&
      !chain &&
      !isRelevant({ url, method: entry.request.method, type, form }) &&
      !leadsOn(entry, type)
    ) {
      continue;
    }
    // Padded, so that ids sort in the file's order (correlate.ts byTime decides ties of time by id).
    const requestId = chain?.requestId ?? `${importId}-${String(index).padStart(7, '0')}`;
    const hop = chain ? chain.hop + 1 : 0;
    const body = responseText(entry);
    const ex = toExchange(entry, {
      id: `har:${requestId}:${hop}`,
      requestId,
      hop,
      at,
      type,
      form,
      ...(json ? { formFormat: 'json' as const } : multipart ? { formFormat: 'multipart' as const } : {}),
      url,
      body,
      keepsCookies,
    });
    // Before redaction: the facts need the full code, verifier and access token.
    const facts = mergeSecretFacts(
      urlSecretFacts(ex.url, secretKey) ?? formSecretFacts(form, secretKey),
      tokenSecretFacts(header(entry.request.headers, 'authorization'), body, secretKey),
    );
    const asRecorded = ours ? recorded(entry) : undefined;
    const kept = asRecorded?.secretFacts ?? facts;
    if (asRecorded && entry.response.status === 0 && !entry.response._error) {
      // A step the recorder saw without a status (a navigation it saw only through webNavigation, or a
      // request still waiting for its answer): the export writes 0, and nothing failed.
      ex.phase = asRecorded.pending ? 'pending' : 'complete';
      delete ex.error;
      if (asRecorded.pending) delete ex.completedAt;
    }
    const done = redactExchange(asRecorded ? { ...ex, ...asRecorded.fields } : ex);
    // The recorder's size bound (README, "Size bounds"): a 2 MB URL in a file is cut as it is live, its
    // marker saying how long it was.
    done.url = boundUrl(done.url);
    if (done.location) done.location = boundUrl(done.location);
    out.push(kept ? { ...done, secretFacts: kept } : done);
    if (ex.location) waiting.set(withoutFragment(ex.location), { requestId, hop, location: ex.location });
  }
  return out;
}

const recordedFields = z.object({
  _source: z.enum(['webRequest', 'webNavigation', 'devtools', 'har']).optional(),
  _tabId: z.number().int().optional(),
  _phase: z.literal('pending').optional(),
  _initiatorOrigin: z.string().optional(),
  _requestCookies: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) }).optional(),
  _secretFacts: z
    .object({
      codeFingerprint: z.string().optional(),
      verifierChallenge: z.string().optional(),
      verifierBadCharacters: z.string().optional(),
      verifierPlusChallenge: z.string().optional(),
      plainChallenge: z.string().optional(),
      tokenFingerprint: z.string().optional(),
      idTokenFingerprint: z.string().optional(),
      bearerOddity: z.string().optional(),
      bearerIat: z.number().optional(),
      bearerExp: z.number().optional(),
      bearerScope: z.string().max(4000).optional(),
      assertionClient: z.string().optional(),
      assertionExp: z.number().optional(),
    })
    .optional(),
});

/** The fields an import reads back from this tool's own export. */
type Recorded = Partial<Pick<Exchange, 'source' | 'tabId' | 'requestCookies' | 'initiator'>>;

/** What an entry of this tool's own export says of how the recorder saw it; undefined when it says nothing readable. */
function recorded(
  entry: HarEntry,
): { fields: Recorded; pending: boolean; secretFacts?: SecretFacts } | undefined {
  const read = recordedFields.safeParse(entry);
  if (!read.success) return undefined;
  const { _source, _tabId, _secretFacts, _requestCookies, _initiatorOrigin, _phase } = read.data;
  const pending = _phase === 'pending';
  const fields: Recorded = {};
  if (_source) fields.source = _source;
  if (_tabId !== undefined) fields.tabId = _tabId;
  if (_initiatorOrigin) fields.initiator = _initiatorOrigin;
  // The names come from the entry's cookies (values left out); count and size from the recorder.
  const names = (entry.request.cookies ?? []).map((c) => c.name);
  if (_requestCookies) fields.requestCookies = { ..._requestCookies, names };
  const facts = _secretFacts && Object.keys(_secretFacts).length ? (_secretFacts as SecretFacts) : undefined;
  return facts ? { fields, pending, secretFacts: facts } : { fields, pending };
}

interface Timed {
  entry: HarEntry;
  index: number;
  at: number;
}

/**
 * `sorted` (by time, then the file's order) with each redirect before the request it led to when the
 * two have the same time: a file saved in whole seconds, its entries in another order than they were
 * sent, would otherwise meet a redirect's target before the redirect and lose the chain.
 */
function chainsInOrder(sorted: Timed[]): Timed[] {
  const out: Timed[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.at === sorted[start]!.at) end++;
    const group = sorted.slice(start, end);
    out.push(...(group.length > 1 ? redirectsFirst(group) : group));
    start = end;
  }
  return out;
}

function redirectsFirst(group: Timed[]): Timed[] {
  const byUrl = new Map<string, Timed[]>();
  for (const t of group) {
    const key = withoutFragment(t.entry.request.url);
    byUrl.set(key, [...(byUrl.get(key) ?? []), t]);
  }
  /** A redirect → the entry it led to, when that entry has the same time. */
  const next = new Map<Timed, Timed>();
  const led = new Set<Timed>();
  for (const t of group) {
    const target = redirectOf(t.entry);
    // The first such entry after the redirect in the file, else the nearest before it.
    const free = (target ? (byUrl.get(withoutFragment(target)) ?? []) : []).filter(
      (c) => c !== t && !led.has(c),
    );
    const to = free.find((c) => c.index > t.index) ?? free.findLast((c) => c.index < t.index);
    if (!to) continue;
    next.set(t, to);
    led.add(to);
  }
  if (next.size === 0) return group;
  const out: Timed[] = [];
  const done = new Set<Timed>();
  const chain = (first: Timed) => {
    for (let t: Timed | undefined = first; t && !done.has(t); t = next.get(t)) {
      done.add(t);
      out.push(t);
    }
  };
  for (const t of group) if (!led.has(t)) chain(t);
  for (const t of group) chain(t);
  return out;
}

/**
 * A request that says nothing of a launch itself but whose redirect does: a consent form posted back to
 * the server, answered with the app's callback and its authorization response. Live, the callback is
 * seen on its own (webNavigation keeps the fragment); in a HAR its request URL has no fragment, so it is
 * found only through this redirect.
 */
function leadsOn(entry: HarEntry, type: string): boolean {
  const target = redirectOf(entry);
  return !!target && leadsIntoLaunch(target, type);
}

/** Where the entry's response redirected to, as an absolute URL; undefined when it did not. */
function redirectOf(entry: HarEntry): string | undefined {
  const { request, response } = entry;
  const redirect = response.redirectURL || header(response.headers, 'location');
  return redirect ? absolute(redirect, request.url) : undefined;
}

/**
 * An entry the file already holds: two files joined into one, or one saved twice, the copy at the same
 * time or shifted by less than the entry's own duration (withoutTimes()). Requests sent twice differ in
 * something (their answer, their timings, their connection); only a copy is the same in all.
 */
function isRepeat(seen: Map<string, HarEntry[]>, entry: HarEntry): boolean {
  const key = `${entry.request.method} ${entry.request.url}`;
  const earlier = seen.get(key);
  if (!earlier) {
    seen.set(key, [entry]);
    return false;
  }
  const at = Date.parse(entry.startedDateTime);
  let text: string | undefined;
  for (const e of earlier) {
    if (e.startedDateTime !== entry.startedDateTime && !(at < Date.parse(e.startedDateTime) + (e.time ?? 0)))
      continue;
    if (serviceWorkerTwin(e, entry)) return true;
    text ??= withoutTimes(entry);
    if (withoutTimes(e) === text) return true;
  }
  earlier.push(entry);
  return false;
}

/**
 * A request a service worker answered is in Chrome's HAR twice: the page's request, marked
 * `_fetchedViaServiceWorker`, and the worker's own request to the network, sent while the page's waits,
 * with the same answer. Read as one (the one seen first), or a token request would be a code sent twice.
 */
function serviceWorkerTwin(a: HarEntry, b: HarEntry): boolean {
  const viaWorker = (e: HarEntry) =>
    (e as { _fetchedViaServiceWorker?: unknown })._fetchedViaServiceWorker === true;
  return (
    viaWorker(a) !== viaWorker(b) &&
    a.response.status === b.response.status &&
    (a.request.postData?.text ?? '') === (b.request.postData?.text ?? '') &&
    (a.response.content?.text ?? '') === (b.response.content?.text ?? '')
  );
}

/**
 * An entry as JSON without when it happened. A copy shifted in time (a file merged with itself, a few
 * milliseconds apart) starts while the entry it copies is still waiting for its answer: a browser sends
 * a redirect's next hop only after that answer, and a request sent twice gets two answers (another code,
 * another token, another correlation id). So an entry the same as one still in flight is that entry.
 */
function withoutTimes(entry: HarEntry): string {
  const {
    startedDateTime: _start,
    time: _time,
    timings: _timings,
    ...rest
  } = entry as HarEntry & {
    timings?: unknown;
  };
  return JSON.stringify(rest);
}

/** The response body as text, as the server sent it (before capture trims and redacts it). */
function responseText(entry: HarEntry): string | undefined {
  const content = entry.response.content;
  if (!content?.text) return undefined;
  return content.encoding === 'base64' ? decodeBase64(content.text) : content.text;
}

/**
 * An entry whose `url` lacks the query its `queryString` lists (some tools write it there only): the
 * URL with that query, as the browser sent it.
 */
function withQueryString(entry: HarEntry): HarEntry {
  const list = (entry.request as { queryString?: unknown }).queryString;
  const { url } = entry.request;
  if (!Array.isArray(list) || list.length === 0 || url.includes('?')) return entry;
  const raw = (v: string) => (/[\s&#=?+]/.test(v) ? encodeURIComponent(v) : v);
  const pairs = list.flatMap((p: unknown) => {
    const { name, value } = (p ?? {}) as { name?: unknown; value?: unknown };
    return typeof name === 'string' ? [`${raw(name)}=${typeof value === 'string' ? raw(value) : ''}`] : [];
  });
  if (!pairs.length) return entry;
  const hash = url.indexOf('#');
  const at = hash === -1 ? url.length : hash;
  return {
    ...entry,
    request: { ...entry.request, url: `${url.slice(0, at)}?${pairs.join('&')}${url.slice(at)}` },
  };
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function formOf(entry: HarEntry): Record<string, string[]> | undefined {
  const post = entry.request.postData;
  if (!post) return undefined;
  // Chrome's `params` keep values as sent (still percent-encoded), so the text is the reliable source.
  const urlEncoded = (post.mimeType ?? '').includes('x-www-form-urlencoded');
  const params = post.params ?? [];
  // Without the text: Chrome's params are as sent, Firefox's (and hand-written ones) decoded already.
  const raw = urlEncoded && params.some((p) => looksEncoded(p.name) || looksEncoded(p.value ?? ''));
  const text = urlEncoded
    ? (post.text ?? (raw ? params.map((p) => `${p.name}=${p.value ?? ''}`).join('&') : ''))
    : '';
  return formFromPairs(text ? parseQuery(text).params : params);
}

/**
 * A page load's resource type: DevTools writes `document` for frames and top-level pages alike; the
 * request's own `Sec-Fetch-Dest` tells a frame (`iframe`, `frame`), and this tool's export says so itself
 * (`_frame`). A sign-in in a frame of another site goes without its cookies (rules/redirect-loop.ts).
 */
function frameType(entry: HarEntry, type: string): string {
  if (type !== 'main_frame') return type;
  if ((entry as { _frame?: unknown })._frame === true) return 'sub_frame';
  const dest = header(entry.request.headers, 'sec-fetch-dest')?.trim().toLowerCase();
  return dest === 'iframe' || dest === 'frame' ? 'sub_frame' : type;
}

/**
 * The fields of a POST body sent as a JSON object: a token request written by hand (it has a
 * grant_type), or any JSON object sent under a form's Content-Type, which is no form in any reading
 * (DevTools then writes `params` as one field named by the whole JSON text).
 */
function jsonTokenForm(entry: HarEntry): Record<string, string[]> | undefined {
  if (entry.request.method.toUpperCase() !== 'POST') return undefined;
  const post = entry.request.postData;
  if (!post) return undefined;
  const form = jsonForm(post.text) ?? (post.text ? undefined : jsonInForm(formFromPairs(post.params ?? [])));
  if (!form) return undefined;
  return form.grant_type || (post.mimeType ?? '').includes('x-www-form-urlencoded') ? form : undefined;
}

/**
 * The fields of a `multipart/form-data` POST body, from its text (each part's `name` and content) or
 * the exporter's `params`; only its text fields (a part with a filename is a file).
 */
function multipartForm(entry: HarEntry): Record<string, string[]> | undefined {
  const post = entry.request.postData;
  const mime = post?.mimeType ?? header(entry.request.headers, 'content-type') ?? '';
  if (!post || entry.request.method.toUpperCase() !== 'POST' || !/^\s*multipart\/form-data/i.test(mime))
    return undefined;
  if (post.params?.length) return formFromPairs(post.params);
  const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(mime);
  const text = post.text;
  if (!text || !boundary) return undefined;
  const fields: { name: string; value: string }[] = [];
  for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split === -1) continue;
    const head = part.slice(0, split);
    const name = /\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined || /\bfilename=/i.test(head)) continue;
    const value = part
      .slice(split)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
    fields.push({ name, value });
  }
  return formFromPairs(fields);
}

function header(headers: HarHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

interface Ids {
  id: string;
  requestId: string;
  hop: number;
  at: number;
  type: string;
  form?: Record<string, string[]>;
  formFormat?: 'json' | 'multipart';
  /** The URL the request loaded (the request's own, or the redirect's target with its fragment). */
  url: string;
  /** The response body as text (responseText()). */
  body: string | undefined;
  /**
   * The file keeps the cookies requests sent (some request in it has a Cookie header or cookies): a
   * request without any sent none. Chrome's sanitized export keeps none, and then nothing is known.
   */
  keepsCookies: boolean;
}

function toExchange(entry: HarEntry, ids: Ids): Exchange {
  const { request, response } = entry;
  const startedAt = Number.isFinite(ids.at) ? ids.at : 0;
  // No answer: status 0 (Chrome, Firefox) or -1 (Playwright), or the tool's reason for it.
  const failed = response.status <= 0 || !!response._error || !!response._failureText;
  const location = redirectOf(entry);
  const responseHeaders: Record<string, string> = {};
  for (const h of response.headers) {
    const name = h.name.toLowerCase();
    if (SELECTED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = h.value;
  }
  // The headers first; some files list cookies only in HAR's parsed `cookies` arrays.
  // Some captures send one Cookie header per cookie (HTTP/2's cookie crumbs, RFC 9113 §8.2.3): all of them.
  const cookieHeaders = request.headers.filter((h) => h.name.toLowerCase() === 'cookie').map((h) => h.value);
  const cookie =
    (cookieHeaders.length ? cookieHeaders.join('; ') : undefined) ??
    (request.cookies?.length
      ? request.cookies.map((c) => `${c.name}=${c.value ?? ''}`).join('; ')
      : undefined);
  const setCookieHeaders = response.headers.filter((h) => h.name.toLowerCase() === 'set-cookie');
  const setCookies = setCookieHeaders.length
    ? setCookieHeaders.map((h) => setCookieName(h.value))
    : (response.cookies ?? []).map((c) => c.name);
  const ex: Exchange = {
    id: ids.id,
    source: 'har',
    requestId: ids.requestId,
    hop: ids.hop,
    // One tab: a DevTools HAR holds the traffic of the tab it was open on (popups and windows the tab
    // opened are not in it), and its pages (`pageref`) are that tab's navigations, which one launch
    // crosses (launch URL, authorize, callback): telling them apart as tabs would split launches.
    tabId: 0,
    type: ids.type,
    method: request.method.toUpperCase(),
    url: ids.url,
    startedAt,
    completedAt: startedAt + Math.max(0, entry.time ?? 0),
    phase: failed ? 'failed' : 'complete',
    responseHeaders,
  };
  // HAR's -1 is "does not apply"; Playwright's minimal files write it for every entry.
  if (!(typeof entry.time === 'number' && entry.time >= 0)) ex.durationUnknown = true;
  if (response.status > 0) ex.status = response.status;
  if (response.statusText) ex.statusText = response.statusText;
  if (location) ex.location = location;
  // The page that sent a cross-origin request (what webRequest calls the initiator) is its Origin header.
  const origin = header(request.headers, 'origin');
  if (origin && origin !== 'null') ex.initiator = origin;
  if (cookie) ex.requestCookies = cookieSummary(cookie);
  else if (ids.keepsCookies) ex.requestCookies = cookieSummary('');
  if (setCookies.length) ex.setCookieNames = setCookies;
  if (ids.form) ex.form = ids.form;
  if (ids.form && ids.formFormat) ex.formFormat = ids.formFormat;
  if (failed)
    ex.error =
      response._error || response._failureText || `no response (status ${Math.min(0, response.status)})`;
  if (ids.body !== undefined) ex.body = captureBody(ids.body, response.content?.mimeType, false);
  return ex;
}

function decodeBase64(text: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
