import { captureBody } from '../redact/body';
import { redactForm } from '../redact/form';
import { redactHeaderValue, setCookieName } from '../redact/headers';
import { maskEchoes } from '../redact/mask';
import { redactProse, redactText } from '../redact/text';
import { redactUrl } from '../redact/url';
import type { CaptureEvent, HeaderLine } from './events';
import { authScheme } from './headers';

const utf8 = new TextEncoder();

/**
 * Cookie values are secrets (sessions): only the names, the count and the header's size are kept
 * (cookieSummary, setCookieName in utils/redact/headers.ts), so each value becomes as many `x` as it had
 * bytes — the event is journaled in this form (entrypoints/background/journal.ts).
 */
function cookieLine(name: string, value: string): string {
  if (name.toLowerCase() === 'set-cookie') return `${setCookieName(value)}=`;
  return value
    .split(';')
    .map((c) => {
      const eq = c.indexOf('=');
      return eq === -1 ? c : `${c.slice(0, eq + 1)}${'x'.repeat(utf8.encode(c.slice(eq + 1)).length)}`;
    })
    .join(';');
}

function headers(lines: HeaderLine[] | undefined): HeaderLine[] | undefined {
  return lines?.map((h) =>
    h.value === undefined
      ? h
      : /^(set-)?cookie$/i.test(h.name)
        ? { name: h.name, value: cookieLine(h.name, h.value) }
        : // Its scheme alone (Basic, Bearer): which kind of credentials, none of them.
          /^authorization$/i.test(h.name)
          ? { name: h.name, value: authScheme(h.value) }
          : { name: h.name, value: redactHeaderValue(h.name, h.value) },
  );
}

/** The status line's reason phrase is the server's own words, which may echo a secret. */
function statusLine(line: string | undefined): { statusLine?: string } {
  return line === undefined ? {} : { statusLine: redactProse(line) };
}

/**
 * Redact an event before it reaches the reducer, so every URL, form and header the state ever holds
 * is already safe to persist. Body text is bounded and redacted by the reducer itself (captureBody).
 */
export function redactEvent(event: CaptureEvent): CaptureEvent {
  switch (event.kind) {
    case 'tab-opened':
    case 'tab-closed':
      return event;
    case 'body': {
      // Bounded and redacted here, before it is journaled (a token response holds the access token).
      // Redacted by the DevTools page already, whose memory holds none of the secrets masked here: a
      // code or password this worker masked, echoed in the page's body, is masked now.
      if (event.redacted) {
        const text = maskEchoes(event.text);
        return text === event.text ? event : { ...event, text };
      }
      const body = captureBody(event.text, event.mimeType, true);
      return {
        ...event,
        url: redactUrl(event.url),
        text: body.text,
        redacted: true,
        ...(body.truncated ? { truncated: true } : {}),
        ...(event.form ? { form: redactForm(event.form) } : {}),
      };
    }
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
        ...statusLine(event.statusLine),
      };
    case 'send-headers':
      return { ...event, url: redactUrl(event.url), requestHeaders: headers(event.requestHeaders) };
    case 'headers':
    case 'completed':
      return {
        ...event,
        url: redactUrl(event.url),
        responseHeaders: headers(event.responseHeaders),
        ...statusLine(event.statusLine),
      };
    case 'error':
      return { ...event, url: redactUrl(event.url), error: redactText(event.error) };
  }
}
