import type { PushedChanges, RecorderHealth } from '../../utils/messages/launches';
import { subscribeToLaunches } from '../../utils/messages/subscribe';

/** Page-side helpers the log needs from the browser: clipboard, downloads, host permissions, change pushes. */
export interface Platform {
  copyText(text: string): Promise<void>;
  download(fileName: string, mimeType: string, text: string): void;
  /** Asks to watch these origins, in one permission prompt. */
  requestOrigins(origins: readonly string[]): Promise<boolean>;
  /**
   * Calls `onChange` whenever the background says stored launches or its health changed, with the
   * summary changes when the notice carries them; returns the unsubscribe.
   */
  subscribe(onChange: (health: RecorderHealth, changes?: PushedChanges) => void): () => void;
}

export const browserPlatform: Platform = {
  async copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // DevTools panels are frames where the async clipboard is often refused; the legacy path still works.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      const copied = document.execCommand('copy');
      area.remove();
      if (!copied) throw new Error('The browser refused clipboard access.');
    }
  },
  download(fileName, mimeType, text) {
    const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  requestOrigins: (origins) =>
    browser.permissions.request({ origins: origins.map((o) => `${o.replace(/\/$/, '')}/*`) }),
  subscribe: (onChange) => subscribeToLaunches(browser.runtime, onChange),
};
