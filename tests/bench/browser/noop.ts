import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FRAME_TYPES,
  NAV_FILTER,
  SESSION_API_FILTER,
  START_FILTERS,
} from '../../../utils/capture/listen-filters';

/**
 * Do-nothing MV3 extensions with a given set of listeners (webRequest, webNavigation, tabs): the floor our
 * own extension is compared with. Each listener is an empty function, so what they cost is the browser's
 * dispatch alone.
 */

interface Registration {
  /** The API of `event` (webRequest when not given). */
  api?: 'webRequest' | 'webNavigation' | 'tabs';
  event: string;
  filter?: unknown;
  options?: string[];
}

const ALL = { urls: ['<all_urls>'] };

/** The listeners before they were narrowed: every event on <all_urls>, with extraHeaders and requestBody. */
export const OLD_LISTENERS: Registration[] = [
  { event: 'onBeforeRequest', filter: ALL, options: ['requestBody'] },
  { event: 'onBeforeSendHeaders', filter: ALL, options: ['requestHeaders', 'extraHeaders'] },
  { event: 'onHeadersReceived', filter: ALL, options: ['responseHeaders', 'extraHeaders'] },
  { event: 'onBeforeRedirect', filter: ALL, options: ['responseHeaders'] },
  { event: 'onCompleted', filter: ALL },
  { event: 'onErrorOccurred', filter: ALL },
];

/** The registrations entrypoints/background/listeners.ts makes at worker start, from the same filters. */
export const NEW_LISTENERS: Registration[] = (() => {
  const f = START_FILTERS;
  const watch = { urls: f.watch };
  return [
    { event: 'onBeforeRequest', filter: { urls: f.auth } },
    { event: 'onBeforeRequest', filter: { ...watch, types: [...FRAME_TYPES] }, options: ['requestBody'] },
    { event: 'onBeforeRequest', filter: { urls: f.body }, options: ['requestBody'] },
    { event: 'onBeforeSendHeaders', filter: { urls: f.auth }, options: ['requestHeaders', 'extraHeaders'] },
    { event: 'onHeadersReceived', filter: { urls: f.auth }, options: ['responseHeaders', 'extraHeaders'] },
    { event: 'onBeforeRedirect', filter: watch, options: ['responseHeaders'] },
    { event: 'onCompleted', filter: watch, options: ['responseHeaders'] },
    { event: 'onErrorOccurred', filter: watch },
    // The recorder's navigations and tabs (listeners.ts), the strip rule's rewrite count and the badge's
    // re-application after a navigation, which Chrome clears (rules.ts): the same wake-ups as ours.
    { api: 'webNavigation', event: 'onBeforeNavigate', filter: NAV_FILTER },
    { api: 'webNavigation', event: 'onCommitted', filter: NAV_FILTER },
    { api: 'webNavigation', event: 'onErrorOccurred', filter: NAV_FILTER },
    { api: 'webNavigation', event: 'onCreatedNavigationTarget' },
    { api: 'tabs', event: 'onRemoved' },
    { event: 'onBeforeRequest', filter: SESSION_API_FILTER },
    { event: 'onBeforeRedirect', filter: SESSION_API_FILTER },
    { event: 'onHeadersReceived', filter: SESSION_API_FILTER },
    { event: 'onErrorOccurred', filter: SESSION_API_FILTER },
    { api: 'webNavigation', event: 'onCommitted' },
    { api: 'webNavigation', event: 'onCompleted' },
    { api: 'tabs', event: 'onRemoved' },
  ];
})();

/**
 * A listener that makes the event durable and does nothing else: one storage.session.set of the event as
 * JSON text, under one of 1,000 rotating keys (so storage stays bounded). The floor of any recorder that
 * writes every event down before its listener returns, as entrypoints/background/journal.ts does.
 */
const DURABLE_LISTENER =
  "(d) => { chrome.storage.session.set({ ['j' + (n = (n + 1) % 1000)]: JSON.stringify(d) }); }";

/**
 * Writes the extension into `dir` and returns `dir`. With `durable`, each listener writes its event to
 * storage.session instead of doing nothing.
 */
export function writeNoopExtension(
  dir: string,
  name: string,
  listeners: Registration[],
  durable = false,
): string {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name,
    version: '1.0',
    permissions: durable ? ['webRequest', 'webNavigation', 'storage'] : ['webRequest', 'webNavigation'],
    host_permissions: ['https://*.cerner.com/*'],
    background: { service_worker: 'background.js' },
  };
  const body = durable ? DURABLE_LISTENER : '() => {}';
  const lines = listeners.map(
    (l) =>
      `chrome.${l.api ?? 'webRequest'}.${l.event}.addListener(${body}${l.filter ? `, ${JSON.stringify(l.filter)}` : ''}${l.options ? `, ${JSON.stringify(l.options)}` : ''});`,
  );
  if (durable) lines.unshift('let n = 0;');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'background.js'), `${lines.join('\n')}\n`);
  return dir;
}
