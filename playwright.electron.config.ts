import { defineConfig } from '@playwright/test';

/**
 * The real-Electron smoke test (`npm run test:electron`, scripts/test-electron.mjs): the built or packaged app
 * started through Playwright's `_electron`. Not part of `npm test`, which never needs the Electron binary.
 */
export default defineConfig({
  testDir: 'test/electron',
  outputDir: 'test-results/electron',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '.test-output/electron.json' }]],
});
