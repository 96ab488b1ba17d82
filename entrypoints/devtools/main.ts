import { storage } from 'wxt/utils/storage';
import { bodyWanted, decodeDevtoolsBody, devtoolsPayload, readContent } from '../../utils/capture/devtools';
import { SECRET_KEY_STORAGE, secretKeyBytes } from '../../utils/capture/secret-facts';
import { createProtocolClient } from '../../utils/messages';

/*
 * The DevTools page: loaded whenever DevTools opens (the panel page only when the panel is shown), so
 * response-body capture lives here. webRequest cannot see bodies; devtools.network can, for the
 * inspected tab only. Bodies are bounded and redacted here, then merged into the matching exchange by
 * the background.
 */

const call = createProtocolClient((envelope) => browser.runtime.sendMessage(envelope));
const tabId = browser.devtools.inspectedWindow.tabId;
/** Settings are re-read at most this often (the user may toggle "keep secrets" while DevTools is open). */
const SETTINGS_TTL_MS = 5000;
let keepSecrets: { value: boolean; at: number } | undefined;

async function keepsSecrets(): Promise<boolean> {
  if (keepSecrets && Date.now() - keepSecrets.at < SETTINGS_TTL_MS) return keepSecrets.value;
  const value = await call('recorder/settings/get')
    .then((s) => s.keepSecrets)
    .catch(() => false);
  keepSecrets = { value, at: Date.now() };
  return value;
}

/** The per-install fingerprint key the background created; without it only the verifier fact is sent. */
let secretKey: Uint8Array | undefined;

async function fingerprintKey(): Promise<Uint8Array | undefined> {
  // Read until found: the background makes the key on first use, possibly after this page loaded.
  secretKey ??= await storage
    .getItem<string>(SECRET_KEY_STORAGE)
    .then(secretKeyBytes)
    .catch(() => undefined);
  return secretKey;
}

interface HarRequest {
  startedDateTime: string;
  request: { url: string; method: string; postData?: { text?: string } };
  response: { status: number; content?: { mimeType?: string } };
  getContent(...args: unknown[]): unknown;
}

browser.devtools.panels.create('SMART', '', '/devtools-panel.html');

browser.devtools.network.onRequestFinished.addListener((raw) => {
  const request = raw as unknown as HarRequest;
  const entry = {
    url: request.request.url,
    method: request.request.method,
    status: request.response.status,
    mimeType: request.response.content?.mimeType,
    postText: request.request.postData?.text,
    startedDateTime: request.startedDateTime,
  };
  if (!bodyWanted(entry)) return;
  readContent(request)
    .then(({ content, encoding }) => {
      const text = content == null ? undefined : decodeDevtoolsBody(content, encoding);
      if (text === undefined) return;
      return Promise.all([keepsSecrets(), fingerprintKey()]).then(([keep, key]) =>
        call('devtools/response', devtoolsPayload(tabId, entry, text, keep, key)),
      );
    })
    .catch((error) => console.warn('[smart-launch-debugger] body not delivered', error));
});
