import { createRoot } from 'react-dom/client';
import '../../components/common/theme.css';
import '../../components/popup/popup.css';
import '../../components/session/session.css';
import { App } from './App';
import { browserPlatform } from './platform';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App platform={browserPlatform()} />);
