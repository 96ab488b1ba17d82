/** The parts of `devtools.panels` that report the DevTools theme: Chrome and Firefox expose different ones. */
export interface ThemeSource {
  themeName?: string;
  /** Chrome. */
  setThemeChangeHandler?: (callback: (name: string) => void) => void;
  /** Firefox. */
  onThemeChanged?: { addListener(callback: (name: string) => void): void };
}

/**
 * Follow the DevTools theme rather than the OS one (DevTools can be dark on a light desktop): sets
 * `data-theme` on the root element now and whenever DevTools switches. Neither change API is guaranteed,
 * so both are probed; without either the theme is fixed at load.
 */
export function followDevtoolsTheme(panels: ThemeSource | undefined, root: HTMLElement): void {
  const apply = (name: string | undefined) => {
    root.dataset.theme = name === 'dark' ? 'dark' : 'light';
  };
  apply(panels?.themeName);
  if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(apply);
  else panels?.onThemeChanged?.addListener(apply);
}
