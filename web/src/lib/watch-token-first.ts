import { startPageTokenWatch } from './token-watch';

// Imported first by the callback page, before fhirclient takes window.fetch (see startPageTokenWatch).
startPageTokenWatch(window);
