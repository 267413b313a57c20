/**
 * Step of `npm test` before the browser tests: make sure a Chromium is there.
 * Uses `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else Playwright's
 * own build; when none is installed it runs `npx playwright install chromium`
 * (which needs the network) and says plainly what to do if that fails.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { chromiumPath } from './support/chromium.js'

const configured = chromiumPath()
if (configured != null) {
  if (!existsSync(configured)) {
    console.error(`CHROMIUM_PATH is ${configured}, which does not exist. Point it at a Chromium binary or unset it.`)
    process.exit(1)
  }
  process.exit(0)
}
if (existsSync(chromium.executablePath())) {
  process.exit(0)
}

console.log('No Chromium found (CHROMIUM_PATH, /usr/bin/chromium): installing Playwright\'s own with "npx playwright install chromium"…')
const install = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' })
if (install.status !== 0 || !existsSync(chromium.executablePath())) {
  console.error([
    'The browser tests need Chromium and none could be installed.',
    'Do one of these, then run npm test again:',
    '  - on Debian or Ubuntu: apt-get install chromium',
    '  - point CHROMIUM_PATH at a Chromium or Chrome binary',
    '  - with network access: npx playwright install chromium'
  ].join('\n'))
  process.exit(1)
}
