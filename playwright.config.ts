import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/chromium.js'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  // One retry: a visitor sometimes cannot reach a host that just came up under
  // a new PeerId (owner key import, transfer) and gets 504 for over a minute.
  // Known bug, open in the WIA DNS issue; a retry must not hide other failures,
  // so the list reporter prints every flaky test.
  retries: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS
    },
    trace: 'retain-on-failure'
  }
})
