import { existsSync } from 'node:fs'

/**
 * Chromium to drive: `CHROMIUM_PATH` if set, else Debian's `/usr/bin/chromium`
 * if present, else Playwright's own browser (after `npx playwright install`).
 */
export function chromiumPath (): string | undefined {
  if (process.env.CHROMIUM_PATH != null && process.env.CHROMIUM_PATH !== '') {
    return process.env.CHROMIUM_PATH
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}

/** Headless flags known to work on these machines (no network beyond loopback). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
