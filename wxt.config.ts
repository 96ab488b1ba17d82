import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';

/** Toolbar and store icons, rendered from components/icons/icon.svg by `npm run icons`. */
const ICON_SIZES = [16, 32, 48, 128] as const;
const iconFile = (size: number) =>
  fileURLToPath(new URL(`./components/icons/icon-${size}.png`, import.meta.url));
const icons = Object.fromEntries(ICON_SIZES.map((size) => [size, `icon/${size}.png`]));

/**
 * Hosts the extension watches and acts on out of the box. Anything else (the developer's own app origin,
 * another authorization server) is asked for at runtime through optional host permissions.
 */
export const DEFAULT_HOST_PERMISSIONS = ['https://*.cerner.com/*'];
export const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      for (const size of ICON_SIZES) files.push({ absoluteSrc: iconFile(size), relativeDest: icons[size]! });
    },
  },
  manifest: ({ browser }) => ({
    name: 'SMART Launch Debugger',
    description:
      'Records SMART on FHIR launches, explains why they fail (Oracle Health / Cerner forceAuthn 400 and more) and fixes them in one click.',
    permissions: [
      'storage',
      // Recorded launches are kept in storage.local; with long retention they outgrow its 10 MB quota.
      'unlimitedStorage',
      'declarativeNetRequestWithHostAccess',
      'webRequest',
      'webNavigation',
      'cookies',
      'browsingData',
    ],
    host_permissions: DEFAULT_HOST_PERMISSIONS,
    optional_host_permissions: OPTIONAL_HOST_PERMISSIONS,
    icons,
    action: { default_title: 'SMART Launch Debugger', default_icon: icons },
    // The pages' colours use CSS light-dark() (Chrome 123, Firefox 120).
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'smart-launch-debugger@example.org', strict_min_version: '120.0' },
          },
          // MV2 has no optional_host_permissions (WXT drops the key); origins go in optional_permissions.
          optional_permissions: OPTIONAL_HOST_PERMISSIONS,
        }
      : { minimum_chrome_version: '123' }),
  }),
});
