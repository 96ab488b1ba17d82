import type { Browser } from 'wxt/browser';
import type { CaptureEvent, HeaderLine } from '../../utils/capture';

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

type Sink = (event: CaptureEvent) => void;

/** The browser delivers only hosts we hold permission for; relevance is decided in utils/capture. */
const ALL_URLS: Browser.webRequest.RequestFilter = { urls: ['<all_urls>'] };
/** Navigations worth waking the worker for: Oracle hosts, launch URLs (iss=), callbacks (state=). */
const NAV_FILTER = {
  url: [{ hostSuffix: 'cerner.com' }, { queryContains: 'iss=' }, { queryContains: 'state=' }],
};
// 'extraHeaders' is Chrome-only and missing from the polyfill's types: Set-Cookie/Cookie need it (tech-notes 3.1).
const EXTRA = 'extraHeaders';

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

/** Translate webRequest/webNavigation events into plain capture events. Registered synchronously. */
export function registerCaptureListeners(sink: Sink): void {
  const wr: WebRequest = browser.webRequest;
  wr.onBeforeRequest.addListener(
    (d) => {
      const form = d.requestBody?.formData as Record<string, string[]> | undefined;
      sink({ kind: 'request', ...common(d), ...(form ? { form } : {}) });
    },
    ALL_URLS,
    ['requestBody'],
  );
  wr.onBeforeSendHeaders.addListener(
    (d) => {
      sink({ kind: 'send-headers', ...common(d), requestHeaders: lines(d.requestHeaders) });
      return undefined;
    },
    ALL_URLS,
    ['requestHeaders', EXTRA],
  );
  wr.onHeadersReceived.addListener(
    (d) => {
      sink({
        kind: 'headers',
        ...common(d),
        statusCode: d.statusCode,
        statusLine: d.statusLine,
        responseHeaders: lines(d.responseHeaders),
      });
      return undefined;
    },
    ALL_URLS,
    ['responseHeaders', EXTRA],
  );
  wr.onBeforeRedirect.addListener(
    (d) =>
      sink({
        kind: 'redirect',
        ...common(d),
        redirectUrl: d.redirectUrl,
        statusCode: d.statusCode,
        statusLine: d.statusLine,
        responseHeaders: lines(d.responseHeaders),
      }),
    ALL_URLS,
    ['responseHeaders'],
  );
  wr.onCompleted.addListener(
    (d) => sink({ kind: 'completed', ...common(d), statusCode: d.statusCode, statusLine: d.statusLine }),
    ALL_URLS,
  );
  wr.onErrorOccurred.addListener((d) => sink({ kind: 'error', ...common(d), error: d.error }), ALL_URLS);

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
