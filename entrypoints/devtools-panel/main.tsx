import { createRoot } from 'react-dom/client';
import '../../components/common/theme.css';
import '../../components/launch/launch.css';
import { LogApp } from '../log/App';
import { createLogApi } from '../log/api';
import { browserPlatform } from '../log/platform';

// Follow the DevTools theme rather than the OS one: DevTools can be dark on a light desktop.
function applyTheme(name: string | undefined) {
  document.documentElement.dataset.theme = name === 'dark' ? 'dark' : 'light';
}
// Chrome exposes setThemeChangeHandler, Firefox onThemeChanged; neither is guaranteed, so both are probed.
const panels = browser.devtools?.panels as
  | {
      themeName?: string;
      setThemeChangeHandler?: (cb: (name: string) => void) => void;
      onThemeChanged?: { addListener(cb: (name: string) => void): void };
    }
  | undefined;
applyTheme(panels?.themeName);
if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(applyTheme);
else panels?.onThemeChanged?.addListener(applyTheme);

const api = createLogApi((envelope) => browser.runtime.sendMessage(envelope));
const root = document.getElementById('root');
const inspectedTabId = browser.devtools?.inspectedWindow?.tabId;
if (root)
  createRoot(root).render(
    <LogApp api={api} platform={browserPlatform} variant="panel" inspectedTabId={inspectedTabId} />,
  );
