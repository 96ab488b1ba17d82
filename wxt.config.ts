import { defineConfig } from 'wxt';

/**
 * Hosts the extension watches and acts on out of the box. Anything else (the developer's own app origin,
 * another authorization server) is asked for at runtime through optional host permissions.
 */
export const DEFAULT_HOST_PERMISSIONS = ['https://*.cerner.com/*'];
export const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
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
    action: { default_title: 'SMART Launch Debugger' },
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
