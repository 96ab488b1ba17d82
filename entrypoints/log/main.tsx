import { createRoot } from 'react-dom/client';
import '../../components/common/theme.css';
import '../../components/launch/launch.css';
import '../../components/session/session.css';
import { LogApp } from './App';
import { createLogApi } from './api';
import { browserPlatform } from './platform';

const api = createLogApi((envelope) => browser.runtime.sendMessage(envelope));
const root = document.getElementById('root');
if (root) createRoot(root).render(<LogApp api={api} platform={browserPlatform} variant="page" />);
