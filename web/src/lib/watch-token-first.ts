import { startPageTokenWatch } from './token-watch';

// Imported first by the launch and callback pages, before fhirclient takes window.fetch (see
// startPageTokenWatch): token responses, and the jwks_uri of the discovery document read at launch.
startPageTokenWatch(window, window.sessionStorage);
