import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/support/chromium';

/**
 * Browser tests run Debian's Chromium (`npx playwright install` cannot download here). Pages are served over http
 * on 127.0.0.1 by the tests themselves.
 */
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '.test-output/playwright.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 360, height: 560 },
    trace: 'retain-on-failure',
  },
});
