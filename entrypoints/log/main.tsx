import { createRoot } from 'react-dom/client';
import '../../components/common/theme.css';
import '../../components/launch/launch.css';
import '../../components/session/session.css';
import { LogApp } from '../../components/log/LogApp';
import { createLogApi } from '../../components/log/logApi';
import { browserPlatform } from '../../components/log/platform';

const api = createLogApi((envelope) => browser.runtime.sendMessage(envelope));
const root = document.getElementById('root');
if (root) createRoot(root).render(<LogApp api={api} platform={browserPlatform} variant="page" />);
