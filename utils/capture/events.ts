import type { SecretFacts } from '../model';

/**
 * What the recorder feeds the reducer: browser events reduced to plain data (no browser types), so the
 * reducer is testable with hand-written sequences and the background only translates.
 */

export interface HeaderLine {
  name: string;
  value?: string;
}

/** Fields every webRequest event carries (Chrome's details objects, trimmed). */
export interface RequestEventBase {
  requestId: string;
  url: string;
  tabId: number;
  timeStamp: number;
  method?: string;
  frameId?: number;
  parentFrameId?: number;
  /** Resource type: main_frame, sub_frame, xmlhttprequest, fetch… */
  type?: string;
  initiator?: string;
}

export type RequestEvent =
  | (RequestEventBase & {
      kind: 'request';
      form?: Record<string, string[]>;
      /** The body was a JSON object, whose top-level fields `form` holds (utils/capture/json-form.ts). */
      formFormat?: 'json';
      /** Computed from the URL's code and the form before redaction (withSecretFacts). */
      secretFacts?: SecretFacts;
    })
  | (RequestEventBase & { kind: 'send-headers'; requestHeaders?: HeaderLine[] })
  | (RequestEventBase & {
      kind: 'redirect';
      redirectUrl: string;
      statusCode: number;
      statusLine?: string;
      responseHeaders?: HeaderLine[];
    })
  | (RequestEventBase & {
      kind: 'headers';
      statusCode: number;
      statusLine?: string;
      responseHeaders?: HeaderLine[];
    })
  | (RequestEventBase & {
      kind: 'completed';
      statusCode?: number;
      statusLine?: string;
      responseHeaders?: HeaderLine[];
    })
  | (RequestEventBase & { kind: 'error'; error: string });

/** webNavigation: seen even for origins we have no host permission for (the app's launch and callback pages). */
export interface NavigationEvent {
  kind: 'nav-before' | 'nav-committed' | 'nav-error';
  tabId: number;
  frameId: number;
  parentFrameId?: number;
  url: string;
  timeStamp: number;
  error?: string;
  /** Of the URL's code (a callback), computed before redaction (withSecretFacts). */
  secretFacts?: SecretFacts;
}

/** A tab or window opened by another tab (popup launches): links the two for correlation. */
export interface TabOpenedEvent {
  kind: 'tab-opened';
  tabId: number;
  openerTabId: number;
  timeStamp: number;
}

/**
 * A tab closed (tabs.onRemoved): a launch that was signing in there moves no more. The time is the
 * worker's clock when the event arrived (the event carries none).
 */
export interface TabClosedEvent {
  kind: 'tab-closed';
  tabId: number;
  timeStamp: number;
}

/** A response body captured by the DevTools page (devtools.network) for the inspected tab. */
export interface BodyEvent {
  kind: 'body';
  tabId: number;
  url: string;
  method: string;
  status: number;
  startedAt: number;
  mimeType?: string;
  text: string;
  /** Set by redactEvent: `text` is already bounded and redacted (and was cut when `truncated`). */
  redacted?: boolean;
  truncated?: boolean;
  /** The request's urlencoded form (a token request), redacted unless the user keeps secrets. */
  form?: Record<string, string[]>;
  /** The request body was a JSON object, whose top-level fields `form` holds. */
  formFormat?: 'json';
  /** Computed by the DevTools page from the raw form before redaction. */
  secretFacts?: SecretFacts;
}

export type CaptureEvent = RequestEvent | NavigationEvent | TabOpenedEvent | TabClosedEvent | BodyEvent;
