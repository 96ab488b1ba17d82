import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/*
 * The companion SMART app: two pages under a configurable base (default /launch/):
 *   <base>       index.html       EHR launch (?iss&launch) or the standalone launcher
 *   <base>auth   auth/index.html  the redirect_uri: FHIR.oauth2.ready(), then the results
 * Build: `npm run build:web` → web/dist. Dev: `npm run dev:web` → http://localhost:5173/launch/.
 */

const root = fileURLToPath(new URL('.', import.meta.url));
const base = normalizeBase(process.env.WEB_BASE ?? '/launch/');
const configFile = fileURLToPath(new URL('./config/servers.json', import.meta.url));

function normalizeBase(b: string): string {
  const withLead = b.startsWith('/') ? b : `/${b}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

/**
 * Serves config/servers.json (read at run time so deployments can edit it) and answers `<base>auth`
 * without the trailing slash, which is how redirect URIs are registered.
 */
function companionRoutes(): Plugin {
  const middleware = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const [path = '', query] = (req.url ?? '').split(/\?(.*)/s, 2);
    if (path === `${base}auth`) req.url = `${base}auth/${query ? `?${query}` : ''}`;
    if (path === `${base}config/servers.json`) {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(readFileSync(configFile));
      return;
    }
    next();
  };
  return {
    name: 'companion-routes',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'config/servers.json',
        source: readFileSync(configFile, 'utf8'),
      });
    },
  };
}

export default defineConfig({
  root,
  base,
  // fhirclient's polyfills (cross-fetch, AbortController) are not needed in the browsers we support.
  define: { FHIRCLIENT_PURE: 'true' },
  plugins: [companionRoutes()],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { main: `${root}index.html`, auth: `${root}auth/index.html` },
    },
  },
});
