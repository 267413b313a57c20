import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

/**
 * Chromium to drive: `CHROMIUM_PATH` if set, else Debian's `/usr/bin/chromium`
 * if present, else Playwright's own browser (after `npx playwright install`).
 */
function chromiumPath (): string | undefined {
  if (process.env.CHROMIUM_PATH != null && process.env.CHROMIUM_PATH !== '') {
    return process.env.CHROMIUM_PATH
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI === 'true' ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    },
    trace: 'retain-on-failure'
  }
})
