import { createRoot } from 'react-dom/client';
import '../../components/common/theme.css';
import './options.css';
import { App } from './App';
import { browserPlatform } from './platform';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App platform={browserPlatform()} />);
