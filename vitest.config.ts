import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

const require = createRequire(import.meta.url);

export default defineConfig({
  // fhirclient's package "main" is its Node entry; the browser entry is what the web app really runs.
  // Only the bare name: tests import fhirclient/lib/… modules (its BrowserAdapter) as they are.
  resolve: {
    alias: [{ find: /^fhirclient$/, replacement: require.resolve('fhirclient/lib/entry/browser.js') }],
  },
  test: {
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // jsdom component tests on two busy cores can take seconds to render the first time.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium per file; files run one after another to stay within two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
