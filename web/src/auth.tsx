// First: the page watches what its token endpoint answers (to explain a response fhirclient cannot use,
// which it keeps nothing of), and must do so before fhirclient takes window.fetch.
import './lib/watch-token-first';
import FHIR from 'fhirclient';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { lastPageTokenResponse } from './lib/token-watch';
import { AuthPage } from './pages/AuthPage';
import './styles.css';

// The companion is a public client: RFC 6749 §6 wants client_id on the refresh request (Oracle rejects it without).
FHIR.oauth2.settings.refreshTokenWithClientId = true;

// ready() exchanges the code once; StrictMode's double effect must not run it twice, so share one promise.
const url = new URL(window.location.href);
let readyOnce: ReturnType<typeof FHIR.oauth2.ready> | undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthPage
      ready={() => {
        readyOnce ??= FHIR.oauth2.ready();
        return readyOnce;
      }}
      authorize={(opts) => FHIR.oauth2.authorize(opts)}
      launcherUrl={import.meta.env.BASE_URL}
      url={url}
      session={window.sessionStorage}
      local={window.localStorage}
      fetch={window.fetch.bind(window)}
      tokenSeen={lastPageTokenResponse}
    />
  </StrictMode>,
);
