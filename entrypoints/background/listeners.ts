import type { Browser } from 'wxt/browser';
import type { CaptureEvent, HeaderLine } from '../../utils/capture';
import {
  FRAME_TYPES,
  type ListenFilters,
  listenFilters,
  START_FILTERS,
  sameFilters,
} from '../../utils/capture/listen-filters';
import { browserRulePorts, STRIP_SETTINGS_KEY } from './rules';

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

/** Navigations worth waking the worker for: Oracle hosts, launch URLs (iss=), callbacks (state=). */
const NAV_FILTER = {
  url: [{ hostSuffix: 'cerner.com' }, { queryContains: 'iss=' }, { queryContains: 'state=' }],
};
/**
 * Chrome-only: without it Chrome hides Cookie and Set-Cookie from listeners
 * (tests/e2e/recorder-launch.test.ts checks that the session-api cookies are recorded).
 */
const EXTRA = 'extraHeaders' as const;

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

function lines(headers: Array<{ name: string; value?: string }> | undefined): HeaderLine[] | undefined {
  return headers?.map((h) => ({ name: h.name, value: h.value }));
}

function response(d: WithHeaders) {
  return { statusCode: d.statusCode, statusLine: d.statusLine, responseHeaders: lines(d.responseHeaders) };
}

/** One registration of every webRequest listener for one set of filters; returns its removal. */
function listen(wr: WebRequest, sink: Sink, f: ListenFilters): () => void {
  const added: Array<[{ removeListener(cb: never): void }, unknown]> = [];
  const add = <A extends unknown[]>(
    event: { addListener(cb: never, ...rest: A): void; removeListener(cb: never): void },
    cb: unknown,
    ...rest: A
  ) => {
    event.addListener(cb as never, ...rest);
    added.push([event, cb]);
  };
  // A start event only where its time or form body matters (navigations, token requests); any other
  // request is recorded once, when it completes, fails or redirects: one event instead of two.
  const request = (d: Details & { requestBody?: { formData?: unknown } | null }) => {
    const form = d.requestBody?.formData as Record<string, string[]> | undefined;
    sink({ kind: 'request', ...common(d), ...(form ? { form } : {}) });
  };
  add(wr.onBeforeRequest, request, { urls: f.watch, types: [...FRAME_TYPES] }, ['requestBody']);
  // Frames at token URLs were seen by the registration above.
  const tokenRequest = (d: Details) => FRAME_TYPES.includes(d.type as never) || request(d);
  add(wr.onBeforeRequest, tokenRequest, { urls: f.body }, ['requestBody']);
  add(
    wr.onBeforeSendHeaders,
    (d: Details & { requestHeaders?: HeaderLine[] }) => {
      sink({ kind: 'send-headers', ...common(d), requestHeaders: lines(d.requestHeaders) });
    },
    { urls: f.auth },
    ['requestHeaders', EXTRA],
  );
  add(
    wr.onHeadersReceived,
    (d: WithHeaders) => {
      sink({ kind: 'headers', ...common(d), ...response(d) });
    },
    { urls: f.auth },
    ['responseHeaders', EXTRA],
  );
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
  return () => {
    for (const [event, cb] of added) event.removeListener(cb as never);
  };
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
}

export interface ListenerOptions {
  /** Where unexpected errors go while the filters are refreshed (default: the console). */
  onError?: (error: unknown) => void;
}

/**
 * Translate webRequest/webNavigation events into plain capture events and hand them to `sink`; nothing
 * else happens in a listener. Registered synchronously with the Oracle filters (a restarted worker must
 * receive the event that woke it), then widened to the configured authorization servers and the origins
 * the user let us watch once those are read, and again whenever either changes. A worker woken by a
 * request to one of those other hosts sees that request only from its next event on.
 */
export function registerCaptureListeners(sink: Sink, opts: ListenerOptions = {}): void {
  const wr: WebRequest = browser.webRequest;
  let current = START_FILTERS;
  let stop = listen(wr, sink, current);
  listenToNavigation(sink);

  const rules = browserRulePorts();
  let pending = Promise.resolve();
  const refresh = () => {
    pending = pending
      .then(async () => {
        const [granted, settings] = await Promise.all([browser.permissions.getAll(), rules.loadSettings()]);
        const next = listenFilters(granted.origins ?? [], settings.hosts);
        if (sameFilters(next, current)) return;
        // Add before removing, so no request starting in between is missed (one seen by both is
        // applied twice, which the reducer tolerates).
        const old = stop;
        stop = listen(wr, sink, next);
        current = next;
        old();
      })
      .catch(opts.onError ?? ((error) => console.error('[smart-launch-debugger] listeners', error)));
  };
  refresh();
  browser.permissions.onAdded.addListener(refresh);
  browser.permissions.onRemoved.addListener(refresh);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && STRIP_SETTINGS_KEY in changes) refresh();
  });
}
