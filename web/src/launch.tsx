// First: the page keeps the jwks_uri of the discovery document fhirclient reads, for the callback page's
// id_token check, and must watch before fhirclient takes window.fetch.
import './lib/watch-token-first';
import FHIR from 'fhirclient';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadServersConfig } from './lib/config-load';
import { LaunchPage } from './pages/LaunchPage';
import './styles.css';

const configUrl = `${import.meta.env.BASE_URL}config/servers.json`;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LaunchPage
      loadConfig={() => loadServersConfig(configUrl)}
      configSource={configUrl}
      authorize={(opts) => FHIR.oauth2.authorize(opts)}
      url={new URL(window.location.href)}
      session={window.sessionStorage}
      local={window.localStorage}
      fetch={(input, init) => window.fetch(input, init)}
    />
  </StrictMode>,
);
