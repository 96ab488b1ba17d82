import { createRoot } from 'react-dom/client';

function Popup() {
  return <main>SMART Launch Debugger</main>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Popup />);
