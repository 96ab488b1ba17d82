import type { Browser } from 'wxt/browser';
import { authScheme, type CaptureEvent, type HeaderLine, isReadHeader } from '../../utils/capture';
import { jsonInForm, rawJsonForm } from '../../utils/capture/json-form';
import {
  FRAME_TYPES,
  type ListenFilters,
  listenFilters,
  NAV_FILTER,
  START_FILTERS,
} from '../../utils/capture/listen-filters';
import { browserRulePorts, onStripSettingsSaved } from './rules';

type WebRequest = typeof Browser.webRequest;
/** The fields every webRequest details object has. */
interface Details {
  requestId: string;
  url: string;
  tabId: number;
  timeStamp: number;
  method: string;
  frameId: number;
  parentFrameId: number;
  type: string;
  initiator?: string;
}
type WithHeaders = Details & {
  statusCode: number;
  statusLine: string;
  responseHeaders?: Array<{ name: string; value?: string }>;
};

type Sink = (event: CaptureEvent) => void;
/** webRequest's request body: a urlencoded or multipart form parsed, anything else as bytes. */
interface RequestBody {
  formData?: unknown;
  raw?: { bytes?: ArrayBuffer }[];
}

/**
 * Chrome-only: without it Chrome hides Cookie and Set-Cookie from listeners
 * (tests/e2e/recorder-launch.test.ts checks that the session-api cookies are recorded).
 */
const EXTRA = 'extraHeaders' as const;
/** Firefox has no `extraHeaders` (it shows cookies without it) and refuses the value when a listener is added. */
const WITH_EXTRA: readonly (typeof EXTRA)[] = import.meta.env.FIREFOX ? [] : [EXTRA];

function common(d: Details) {
  return {
    requestId: d.requestId,
    url: d.url,
    tabId: d.tabId,
    timeStamp: d.timeStamp,
    method: d.method,
    frameId: d.frameId,
    parentFrameId: d.parentFrameId,
    type: d.type,
    ...(d.initiator ? { initiator: d.initiator } : {}),
  };
}

/** The header lines the recorder reads (the others would only be journaled to be dropped). */
function lines(headers: Array<{ name: string; value?: string }> | undefined): HeaderLine[] | undefined {
  if (!headers) return undefined;
  const out: HeaderLine[] = [];
  for (const h of headers) if (isReadHeader(h.name)) out.push({ name: h.name, value: h.value });
  return out;
}

/**
 * lines() of a request, and of its Authorization header the scheme alone (`Basic`, `Bearer`…), never the
 * credentials: whether a token request authenticated its client, and how.
 */
function requestLines(
  headers: Array<{ name: string; value?: string }> | undefined,
): HeaderLine[] | undefined {
  const out = lines(headers);
  const auth = headers?.find((h) => h.name.toLowerCase() === 'authorization');
  if (out && auth) out.push({ name: 'Authorization', value: authScheme(auth.value) });
  return out;
}

function response(d: WithHeaders) {
  return { statusCode: d.statusCode, statusLine: d.statusLine, responseHeaders: lines(d.responseHeaders) };
}

type Registrar = <A extends unknown[]>(
  event: { addListener(cb: never, ...rest: A): void; removeListener(cb: never): void },
  cb: unknown,
  ...rest: A
) => void;

/** Adds listeners through `add`; the returned function removes every one of them. */
function registrar(): { add: Registrar; remove: () => void } {
  const added: Array<[{ removeListener(cb: never): void }, unknown]> = [];
  return {
    add: (event, cb, ...rest) => {
      event.addListener(cb as never, ...rest);
      added.push([event, cb]);
    },
    remove: () => {
      for (const [event, cb] of added) event.removeListener(cb as never);
    },
  };
}

/** Cookie and Set-Cookie (extraHeaders) on the authorization servers `auth`. */
function listenToHeaders(wr: WebRequest, sink: Sink, auth: string[], add: Registrar): void {
  add(
    wr.onBeforeSendHeaders,
    (d: Details & { requestHeaders?: HeaderLine[] }) => {
      sink({ kind: 'send-headers', ...common(d), requestHeaders: requestLines(d.requestHeaders) });
    },
    { urls: auth },
    ['requestHeaders', ...WITH_EXTRA],
  );
  add(
    wr.onHeadersReceived,
    (d: WithHeaders) => {
      sink({ kind: 'headers', ...common(d), ...response(d) });
    },
    { urls: auth },
    ['responseHeaders', ...WITH_EXTRA],
  );
}

/** True for a URL the `body` filters match (`…token…` after the host, see tokenPattern). */
function isTokenUrl(url: string): boolean {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash !== -1 && url.includes('token', slash);
}

/** Every webRequest listener for one set of filters, registered through `add`. */
function listen(wr: WebRequest, sink: Sink, f: ListenFilters, add: Registrar): void {
  // Navigations, token requests and anything sent to an authorization server get a start event as well
  // as their completion: their start time, their form body, and a second record of the steps a launch
  // turns on. Other requests (FHIR reads, discovery, static files on watched hosts) are recorded from
  // their completion or error alone: one dispatch per request instead of two, about half of what watching
  // costs per request (docs/benchmarks.md); their start time is then their completion time.
  const request = (d: Details & { requestBody?: RequestBody | null }) => {
    const form = d.requestBody?.formData as Record<string, string[]> | undefined;
    if (form) {
      // JSON sent with a form's Content-Type: Chrome splits its text into fields named by pieces of it.
      const json = jsonInForm(form);
      if (json?.grant_type) return sink({ kind: 'request', ...common(d), form: json, formFormat: 'json' });
      return sink({ kind: 'request', ...common(d), form });
    }
    // A body that is no form comes as bytes: read only a token request's, which may be JSON.
    const json =
      d.requestBody?.raw && d.method === 'POST' && isTokenUrl(d.url)
        ? rawJsonForm(d.requestBody.raw)
        : undefined;
    sink({
      kind: 'request',
      ...common(d),
      ...(json?.grant_type ? { form: json, formFormat: 'json' as const } : {}),
    });
  };
  add(wr.onBeforeRequest, request, { urls: f.watch, types: [...FRAME_TYPES] }, ['requestBody']);
  // Frames at token URLs were seen by the registration above.
  const tokenRequest = (d: Details) => FRAME_TYPES.includes(d.type as never) || request(d);
  add(wr.onBeforeRequest, tokenRequest, { urls: f.body }, ['requestBody']);
  // Any other request to an authorization server, without its body; token URLs were seen above.
  const authRequest = (d: Details) =>
    FRAME_TYPES.includes(d.type as never) || isTokenUrl(d.url) || request(d);
  add(wr.onBeforeRequest, authRequest, { urls: f.auth });
  listenToHeaders(wr, sink, f.auth, add);
  add(
    wr.onBeforeRedirect,
    (d: WithHeaders & { redirectUrl: string }) => {
      sink({ kind: 'redirect', ...common(d), redirectUrl: d.redirectUrl, ...response(d) });
    },
    { urls: f.watch },
    ['responseHeaders'],
  );
  // Status and the selected response headers arrive with completion.
  add(
    wr.onCompleted,
    (d: WithHeaders) => {
      sink({ kind: 'completed', ...common(d), ...response(d) });
    },
    { urls: f.watch },
    ['responseHeaders'],
  );
  add(
    wr.onErrorOccurred,
    (d: Details & { error: string }) => {
      sink({ kind: 'error', ...common(d), error: d.error });
    },
    { urls: f.watch },
  );
}

function listenToNavigation(sink: Sink): void {
  const nav = browser.webNavigation;
  const navEvent =
    (kind: 'nav-before' | 'nav-committed' | 'nav-error') =>
    (d: {
      tabId: number;
      frameId: number;
      url: string;
      timeStamp: number;
      parentFrameId?: number;
      error?: string;
    }) =>
      sink({
        kind,
        tabId: d.tabId,
        frameId: d.frameId,
        url: d.url,
        timeStamp: d.timeStamp,
        ...('parentFrameId' in d && typeof d.parentFrameId === 'number'
          ? { parentFrameId: d.parentFrameId }
          : {}),
        ...('error' in d && typeof d.error === 'string' ? { error: d.error } : {}),
      });
  nav.onBeforeNavigate.addListener(navEvent('nav-before'), NAV_FILTER);
  nav.onCommitted.addListener(navEvent('nav-committed'), NAV_FILTER);
  nav.onErrorOccurred.addListener(navEvent('nav-error'), NAV_FILTER);
  nav.onCreatedNavigationTarget.addListener((d) =>
    sink({ kind: 'tab-opened', tabId: d.tabId, openerTabId: d.sourceTabId, timeStamp: d.timeStamp }),
  );
  // No permission needed for the id alone; a launch signing in in a closed tab is abandoned at once.
  browser.tabs.onRemoved.addListener((tabId) => sink({ kind: 'tab-closed', tabId, timeStamp: Date.now() }));
}

export interface ListenerOptions {
  /** Where unexpected errors go while the filters are refreshed (default: the console). */
  onError?: (error: unknown) => void;
}

/**
 * Translate webRequest/webNavigation events into plain capture events and hand them to `sink`; nothing
 * else happens in a listener. Every listener is registered synchronously at worker start, once, and never
 * removed: Oracle hosts and every origin the user may grant (the browser delivers events only for granted
 * hosts), so the event that wakes a stopped worker always has its listener. Re-registering listeners after
 * start lost events of a worker stopped at the wrong moment (tests/e2e/recorder-faults.test.ts), so the
 * only listeners added later are the Cookie/Set-Cookie ones of authorization servers configured in the
 * options besides Oracle's, and only while there are such servers.
 */
export function registerCaptureListeners(sink: Sink, opts: ListenerOptions = {}): void {
  const wr: WebRequest = browser.webRequest;
  listen(wr, sink, START_FILTERS, registrar().add);
  listenToNavigation(sink);

  const rules = browserRulePorts();
  const staticAuth = new Set(START_FILTERS.auth);
  let extra: { patterns: string; remove: () => void } | undefined;
  let pending = Promise.resolve();
  const refresh = () => {
    pending = pending
      .then(async () => {
        const settings = await rules.loadSettings();
        const patterns = listenFilters([], settings.hosts).auth.filter((p) => !staticAuth.has(p));
        const key = patterns.join(' ');
        if ((extra?.patterns ?? '') === key) return;
        extra?.remove();
        extra = undefined;
        if (!patterns.length) return;
        const r = registrar();
        listenToHeaders(wr, sink, patterns, r.add);
        extra = { patterns: key, remove: r.remove };
      })
      .catch(opts.onError ?? ((error) => console.error('[smart-launch-debugger] listeners', error)));
  };
  refresh();
  onStripSettingsSaved(refresh);
}
