import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerCaptureListeners } from '../../entrypoints/background/listeners';
import { browserRulePorts } from '../../entrypoints/background/rules';
import type { CaptureEvent } from '../../utils/capture';

/**
 * A webRequest that behaves like Chrome's for what the listeners use: each registration keeps its
 * filter (match patterns, resource types) and options, and an event reaches only the registrations
 * whose filter matches; headers named only with extraHeaders are left out without it.
 */
type Listener = { cb: (d: object) => void; urls: RegExp[]; types?: string[]; options: string[] };

function patternToRegExp(pattern: string): RegExp {
  const [, scheme = '', host = '', path = ''] = /^([^:]+):\/\/([^/]+)(\/.*)$/.exec(pattern) ?? [];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const h = host.startsWith('*.') ? `([^/]+\\.)?${esc(host.slice(2))}` : host === '*' ? '[^/]+' : esc(host);
  const s = scheme === '*' ? 'https?' : esc(scheme);
  return new RegExp(`^${s}://${h}${esc(path).replace(/\*/g, '.*')}$`);
}

function fakeEvent() {
  const listeners: Listener[] = [];
  return {
    listeners,
    addListener(
      cb: (d: object) => void,
      filter: { urls: string[]; types?: string[] },
      options: string[] = [],
    ) {
      listeners.push({ cb, urls: filter.urls.map(patternToRegExp), types: filter.types, options });
    },
    removeListener(cb: (d: object) => void) {
      for (let i = listeners.length - 1; i >= 0; i--) if (listeners[i]!.cb === cb) listeners.splice(i, 1);
    },
    fire(d: { url: string; type: string; requestHeaders?: Hdr[]; responseHeaders?: Hdr[] }) {
      for (const l of [...listeners]) {
        if (!l.urls.some((u) => u.test(d.url)) || (l.types && !l.types.includes(d.type))) continue;
        const extra = l.options.includes('extraHeaders');
        const hide = (hs?: Hdr[]) => hs?.filter((h) => extra || !/^(set-)?cookie$/i.test(h.name));
        const { requestBody, ...rest } = d as { requestBody?: unknown };
        l.cb({
          ...rest,
          ...(l.options.includes('requestBody') && requestBody ? { requestBody } : {}),
          ...(d.requestHeaders ? { requestHeaders: hide(d.requestHeaders) } : {}),
          ...(d.responseHeaders ? { responseHeaders: hide(d.responseHeaders) } : {}),
        });
      }
    },
  };
}
type Hdr = { name: string; value: string };
type FakeEvent = ReturnType<typeof fakeEvent>;

const names = [
  'onBeforeRequest',
  'onBeforeSendHeaders',
  'onHeadersReceived',
  'onBeforeRedirect',
  'onCompleted',
  'onErrorOccurred',
] as const;
let wr: Record<(typeof names)[number], FakeEvent>;
let granted: string[];
const permissionListeners: (() => void)[] = [];

const base = { requestId: '1', tabId: 3, frameId: 0, parentFrameId: -1, timeStamp: 10, method: 'GET' };
const settle = () => new Promise((r) => setTimeout(r, 0));

function start(): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  registerCaptureListeners((e) => events.push(e));
  return events;
}

beforeEach(() => {
  fakeBrowser.reset();
  permissionListeners.length = 0;
  granted = ['https://*.cerner.com/*'];
  wr = Object.fromEntries(names.map((n) => [n, fakeEvent()])) as typeof wr;
  Object.assign(fakeBrowser, { webRequest: wr });
  const onChange = { addListener: (cb: () => void) => permissionListeners.push(cb) };
  Object.assign(fakeBrowser, {
    permissions: {
      getAll: vi.fn(async () => ({ origins: [...granted], permissions: [] })),
      onAdded: onChange,
      onRemoved: onChange,
    },
  });
});

describe('capture listeners', () => {
  it('are registered synchronously, before any option or permission is read', () => {
    start();
    expect(wr.onCompleted.listeners).toHaveLength(1);
    expect(wr.onBeforeRequest.listeners.length).toBeGreaterThan(0);
  });

  it('record an ordinary Oracle request at its completion only, with its selected headers', () => {
    const events = start();
    const url = 'https://fhir-ehr-code.cerner.com/r4/t/Patient/1';
    wr.onBeforeRequest.fire({ ...base, url, type: 'xmlhttprequest' });
    // Requests to an authorization server that are neither navigations nor token requests keep their start.
    const jwks = 'https://authorization.cerner.com/jwk';
    wr.onBeforeRequest.fire({ ...base, url: jwks, type: 'xmlhttprequest' });
    wr.onCompleted.fire({
      ...base,
      url,
      type: 'xmlhttprequest',
      statusCode: 200,
      statusLine: 'HTTP/1.1 200',
      responseHeaders: [
        { name: 'Date', value: 'Sun, 30 Nov 2025 12:00:00 GMT' },
        { name: 'content-type', value: 'application/fhir+json' },
        { name: 'X-Request-Id', value: 'r1' },
      ],
    } as never);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'request', url: jwks, type: 'xmlhttprequest' }),
      expect.objectContaining({
        kind: 'completed',
        url,
        statusCode: 200,
        responseHeaders: [{ name: 'content-type', value: 'application/fhir+json' }],
      }),
    ]);
  });

  it('give a token POST and a login form post their form body, each once', () => {
    const events = start();
    const form = { grant_type: ['authorization_code'], code_verifier: ['v'] };
    const token = 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token';
    wr.onBeforeRequest.fire({
      ...base,
      method: 'POST',
      url: token,
      type: 'xmlhttprequest',
      requestBody: { formData: form },
    } as never);
    const login = 'https://authorization.cerner.com/idp/realm/r/login';
    const loginForm = { username: ['u'], password: ['p'] };
    wr.onBeforeRequest.fire({
      ...base,
      method: 'POST',
      url: login,
      type: 'main_frame',
      requestBody: { formData: loginForm },
    } as never);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'request', url: token, form }),
      expect.objectContaining({ kind: 'request', url: login, form: loginForm }),
    ]);
  });

  it('read a token POST sent as JSON (bytes) as its fields, marked JSON; other JSON bodies not', () => {
    const events = start();
    const token = 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token';
    const bytes = (text: string) => [{ bytes: new TextEncoder().encode(text).buffer }];
    const fire = (url: string, text: string) =>
      wr.onBeforeRequest.fire({
        ...base,
        method: 'POST',
        url,
        type: 'xmlhttprequest',
        requestBody: { raw: bytes(text) },
      } as never);
    fire(token, '{"grant_type":"authorization_code","code":"c","code_verifier":"v","n":1}');
    fire(token, '{"username":"u","password":"p"}');
    fire(token, 'not json');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      kind: 'request',
      url: token,
      form: { grant_type: ['authorization_code'], code: ['c'], code_verifier: ['v'], n: ['1'] },
      formFormat: 'json',
    });
    for (const e of events.slice(1)) {
      expect(e).not.toHaveProperty('form');
      expect(e).not.toHaveProperty('formFormat');
    }
  });

  it("read JSON sent with a form's Content-Type (Chrome splits it into fields at its & and =) as JSON", () => {
    const events = start();
    const token = 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token';
    // `{"grant_type":"authorization_code","code":"c=1","code_verifier":"v"}` as Chrome parses it.
    const split = { '{"grant_type":"authorization_code","code":"c': ['1","code_verifier":"v"}'] };
    wr.onBeforeRequest.fire({
      ...base,
      method: 'POST',
      url: token,
      type: 'xmlhttprequest',
      requestBody: { formData: split },
    } as never);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'request',
        form: { grant_type: ['authorization_code'], code: ['c=1'], code_verifier: ['v'] },
        formFormat: 'json',
      }),
    ]);
  });

  it('see cookies on the authorization server only', () => {
    const events = start();
    const cookie = [{ name: 'Cookie', value: 'cerner-authz-session=x' }];
    wr.onBeforeSendHeaders.fire({
      ...base,
      url: 'https://authorization.cerner.com/session-api/realm/r',
      type: 'main_frame',
      requestHeaders: cookie,
    });
    wr.onBeforeSendHeaders.fire({
      ...base,
      url: 'https://fhir-ehr-code.cerner.com/r4/t/Patient',
      type: 'xmlhttprequest',
      requestHeaders: cookie,
    });
    expect(events).toEqual([expect.objectContaining({ kind: 'send-headers', requestHeaders: cookie })]);
  });

  it("pass on the scheme of a request's Authorization header, never its credentials", () => {
    const events = start();
    wr.onBeforeSendHeaders.fire({
      ...base,
      url: 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token',
      type: 'xmlhttprequest',
      requestHeaders: [
        { name: 'Authorization', value: 'Basic ZGVtbzpzM2NyZXQ=' },
        { name: 'Accept', value: 'application/json' },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({ requestHeaders: [{ name: 'Authorization', value: 'Basic' }] }),
    ]);
    expect(JSON.stringify(events)).not.toContain('ZGVtbzpzM2NyZXQ');
  });

  it('cover every origin the user may grant from the start, and never re-register them', async () => {
    const events = start();
    const counts = () => names.map((n) => wr[n].listeners.length);
    const before = counts();
    const app = 'https://app.example.org/api/Patient';
    wr.onCompleted.fire({ ...base, url: app, type: 'xmlhttprequest', statusCode: 200 } as never);
    // The browser delivers this only once the origin is granted; the listener is there either way.
    expect(events).toEqual([expect.objectContaining({ kind: 'completed', url: app })]);
    granted.push('https://app.example.org/*');
    for (const cb of permissionListeners) cb();
    await settle();
    expect(counts()).toEqual(before);
  });

  it('add Cookie listeners for an authorization server configured in the options, and drop them again', async () => {
    const events = start();
    const cookie = [{ name: 'Cookie', value: 's=1' }];
    const login = () =>
      wr.onBeforeSendHeaders.fire({
        ...base,
        url: 'https://auth.example.org/login',
        type: 'main_frame',
        requestHeaders: cookie,
      });
    login();
    expect(events).toEqual([]);
    await browserRulePorts().saveSettings({
      stripNested: true,
      hosts: ['authorization.cerner.com', 'auth.example.org'],
    });
    await vi.waitFor(() => {
      events.length = 0;
      login();
      expect(events).toEqual([expect.objectContaining({ kind: 'send-headers', requestHeaders: cookie })]);
    });
    await browserRulePorts().saveSettings({ stripNested: true, hosts: ['authorization.cerner.com'] });
    await vi.waitFor(() => {
      events.length = 0;
      login();
      expect(events).toEqual([]);
    });
    // The static Oracle listener stays.
    expect(wr.onBeforeSendHeaders.listeners).toHaveLength(1);
  });
});
