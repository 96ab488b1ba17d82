// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { followDevtoolsTheme } from '../../entrypoints/devtools-panel/theme';

describe('DevTools panel theme', () => {
  it('follows Chrome DevTools: the theme at load, then every switch', () => {
    let handler: ((name: string) => void) | undefined;
    const root = document.createElement('html');
    followDevtoolsTheme({ themeName: 'dark', setThemeChangeHandler: (cb) => (handler = cb) }, root);
    expect(root.dataset.theme).toBe('dark');
    handler!('default');
    expect(root.dataset.theme).toBe('light');
    handler!('dark');
    expect(root.dataset.theme).toBe('dark');
  });

  it("follows Firefox's onThemeChanged when there is no change handler", () => {
    const listeners: ((name: string) => void)[] = [];
    const root = document.createElement('html');
    followDevtoolsTheme(
      { themeName: 'light', onThemeChanged: { addListener: (cb) => listeners.push(cb) } },
      root,
    );
    expect(root.dataset.theme).toBe('light');
    for (const listener of listeners) listener('dark');
    expect(root.dataset.theme).toBe('dark');
  });

  it('falls back to light without the panels API', () => {
    const root = document.createElement('html');
    followDevtoolsTheme(undefined, root);
    expect(root.dataset.theme).toBe('light');
  });
});
