import { redactForm } from '../redact/form';
import { redactHeaderValue } from '../redact/headers';
import { redactText } from '../redact/text';
import { redactUrl } from '../redact/url';
import type { CaptureEvent, HeaderLine } from './events';

function headers(lines: HeaderLine[] | undefined): HeaderLine[] | undefined {
  // Cookie and Set-Cookie stay as they are: the reducer reduces them to names and counts, never stores values.
  return lines?.map((h) =>
    h.value === undefined || /^(set-)?cookie$/i.test(h.name)
      ? h
      : { name: h.name, value: redactHeaderValue(h.name, h.value) },
  );
}

/**
 * Redact an event before it reaches the reducer, so every URL, form and header the state ever holds
 * is already safe to persist. Body text is bounded and redacted by the reducer itself (captureBody).
 */
export function redactEvent(event: CaptureEvent): CaptureEvent {
  switch (event.kind) {
    case 'tab-opened':
      return event;
    case 'body':
      return { ...event, url: redactUrl(event.url), ...(event.form ? { form: redactForm(event.form) } : {}) };
    case 'nav-before':
    case 'nav-committed':
    case 'nav-error':
      return {
        ...event,
        url: redactUrl(event.url),
        ...(event.error ? { error: redactText(event.error) } : {}),
      };
    case 'request':
      return { ...event, url: redactUrl(event.url), ...(event.form ? { form: redactForm(event.form) } : {}) };
    case 'redirect':
      return {
        ...event,
        url: redactUrl(event.url),
        redirectUrl: redactUrl(event.redirectUrl),
        responseHeaders: headers(event.responseHeaders),
      };
    case 'send-headers':
      return { ...event, url: redactUrl(event.url), requestHeaders: headers(event.requestHeaders) };
    case 'headers':
    case 'completed':
      return { ...event, url: redactUrl(event.url), responseHeaders: headers(event.responseHeaders) };
    case 'error':
      return { ...event, url: redactUrl(event.url), error: redactText(event.error) };
  }
}
