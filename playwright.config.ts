import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/chromium.js'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // Two files at a time: the tests spend most of their time waiting (for
  // relays, timeouts, pages), not computing. 49 tests took 18.9 min with one
  // worker and 15.4 min with two on a 2-core machine where they used 45 % of
  // both cores (2026-12-02). The tests of one file run in order in one worker;
  // each test hosts under a name of its own on the run's relay, and the two
  // specs that build network namespaces (network.spec.ts, behind-proxy.spec.ts)
  // each use a namespace prefix of their own, so they may run side by side.
  fullyParallel: false,
  workers: 2,
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
