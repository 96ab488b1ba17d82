import type { Exchange, Launch } from '../model';
import { redactLaunch, redactText } from '../redact';
import { parseQuery } from '../url/query';
import { splitUrl } from '../url/split';
import { devtoolsResourceType } from './types';

export interface ExportOptions {
  /** Redact again before export (default). Only a user who opted in to keeping secrets may turn it off. */
  redact?: boolean;
  /** Export time (ISO) written into the file; defaults to the launch end. */
  exportedAt?: number;
}

/** The creator of the HAR files this tool writes; an import of one reads the recorder's own fields back. */
export const CREATOR = { name: 'SMART Launch Debugger', version: '1' };

function nameValues(record: Record<string, string[]>) {
  return Object.entries(record).flatMap(([name, values]) => values.map((value) => ({ name, value })));
}

/** The request body as it was sent: a urlencoded or multipart form, or the JSON object a hand-written client sent. */
function postData(ex: Exchange, form: { name: string; value: string }[]) {
  if (ex.formFormat === 'json' && ex.form) {
    const fields = Object.fromEntries(
      Object.entries(ex.form).map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
    );
    return { mimeType: 'application/json', text: JSON.stringify(fields) };
  }
  if (ex.formFormat === 'multipart') {
    const boundary = 'smart-launch-debugger-part';
    const parts = form.map(
      (p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    );
    return {
      mimeType: `multipart/form-data; boundary=${boundary}`,
      params: form,
      text: `${parts.join('')}--${boundary}--\r\n`,
    };
  }
  return {
    mimeType: 'application/x-www-form-urlencoded',
    params: form,
    text: form.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&'),
  };
}

function entry(ex: Exchange, kind: string) {
  const query = parseQuery(splitUrl(ex.url).query).params.map((p) => ({ name: p.name, value: p.value }));
  const headers = Object.entries(ex.responseHeaders).map(([name, value]) => ({ name, value }));
  const time = ex.durationUnknown
    ? -1
    : ex.completedAt !== undefined
      ? Math.max(0, ex.completedAt - ex.startedAt)
      : 0;
  const form = ex.form ? nameValues(ex.form) : undefined;
  return {
    startedDateTime: new Date(ex.startedAt).toISOString(),
    time,
    request: {
      method: ex.method,
      url: ex.url,
      httpVersion: 'HTTP/1.1',
      headers: [],
      queryString: query,
      cookies: (ex.requestCookies?.names ?? []).map((name) => ({ name, value: '' })),
      headersSize: -1,
      bodySize: -1,
      ...(form ? { postData: postData(ex, form) } : {}),
    },
    response: {
      status: ex.status ?? 0,
      statusText: ex.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      headers,
      cookies: (ex.setCookieNames ?? []).map((name) => ({ name, value: '' })),
      content: {
        size: ex.body?.text.length ?? 0,
        mimeType: ex.body?.mimeType ?? ex.responseHeaders['content-type'] ?? '',
        ...(ex.body ? { text: ex.body.text } : {}),
      },
      redirectURL: ex.location ?? '',
      headersSize: -1,
      bodySize: -1,
      ...(ex.error ? { _error: ex.error } : {}),
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    _resourceType: devtoolsResourceType(ex.type),
    // DevTools' `document` is any page load; a frame's says so (its sign-in goes without third-party cookies).
    ...(ex.type === 'sub_frame' ? { _frame: true } : {}),
    _smartStep: kind,
    _exchangeId: ex.id,
    // How the recorder saw it, for an import of this file to read it as the log did (utils/har/import.ts):
    // where it came from, its tab, and the facts taken from its secrets before they were masked (keyed
    // fingerprints, the verifier's S256 challenge, a bearer token's times), none of which gives a secret away.
    _source: ex.source,
    _tabId: ex.tabId,
    // A request still waiting for its answer (status 0 in HAR, which reads as no answer at all).
    ...(ex.phase === 'pending' ? { _phase: 'pending' } : {}),
    ...(ex.initiator ? { _initiatorOrigin: ex.initiator } : {}),
    // The cookies' values are not exported; their count and the header's size are (forceAuthn vs oversized).
    ...(ex.requestCookies
      ? { _requestCookies: { count: ex.requestCookies.count, bytes: ex.requestCookies.bytes } }
      : {}),
    ...(ex.secretFacts ? { _secretFacts: ex.secretFacts } : {}),
    ...(ex.rewrittenFrom ? { _rewrittenFrom: ex.rewrittenFrom } : {}),
    ...(ex.partial ? { _partial: true } : {}),
  };
}

/**
 * The launch made safe to share: redacted again (a no-op for data redacted at capture), the status
 * reason included, since it may quote values from the launch.
 */
function shareable(launch: Launch, options: ExportOptions): Launch {
  if (options.redact === false) return launch;
  const safe = redactLaunch(launch);
  if (safe.statusReason !== undefined) safe.statusReason = redactText(safe.statusReason);
  return safe;
}

/** A launch as a HAR 1.2 document (one entry per step), redacted unless told otherwise. */
export function launchToHar(launch: Launch, options: ExportOptions = {}) {
  const safe = shareable(launch, options);
  return {
    log: {
      version: '1.2',
      creator: CREATOR,
      pages: [],
      entries: safe.steps.map((s) => entry(s.exchange, s.kind)),
      comment: `SMART launch ${safe.id} (${safe.status})${safe.statusReason ? `: ${safe.statusReason}` : ''}`,
      // HAR allows custom fields with a leading underscore: the outcome, as the launch log shows it.
      _smartLaunch: {
        id: safe.id,
        status: safe.status,
        ...(safe.failedAt ? { failedAt: safe.failedAt } : {}),
        ...(safe.statusReason ? { statusReason: safe.statusReason } : {}),
      },
    },
  };
}

export function launchToHarText(launch: Launch, options: ExportOptions = {}): string {
  return JSON.stringify(launchToHar(launch, options), null, 2);
}

/** The launch as JSON (the app's own model), redacted unless told otherwise. */
export function launchToJson(launch: Launch, options: ExportOptions = {}): string {
  const safe = shareable(launch, options);
  const exportedAt = new Date(options.exportedAt ?? launch.endedAt ?? launch.startedAt).toISOString();
  return JSON.stringify(
    { format: 'smart-launch-debugger/launch', version: 1, exportedAt, launch: safe },
    null,
    2,
  );
}

/** File names for downloads: `smart-launch-<date>-<status>.<ext>`. */
export function exportFileName(launch: Launch, ext: 'har' | 'json'): string {
  const date = new Date(launch.startedAt).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `smart-launch-${date}-${launch.status}.${ext}`;
}
