import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/chromium.js'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  // One retry, as a guard: every test runs real processes on shared cores.
  // It was added for hosts that became unreachable after a few visits (504 for
  // over a minute): a clashing ping aborted the host's relay connection and
  // its reservation was never taken again, now fixed (src/node/liveness.ts,
  // src/node/reservation-keeper.ts). The list reporter prints every flaky
  // test, so a retry does not hide a failure.
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
