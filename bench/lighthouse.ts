import '../relay/polyfills.js'
import { chromium } from '@playwright/test'
import { launch } from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromiumPath } from '../e2e/support/chromium.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import type { Flags, Result } from 'lighthouse'

/** The categories checked, and the score (0–100) each must reach. */
const TARGETS = { accessibility: 95, 'best-practices': 95 } as const

/** Chromium's flags for a headless run on this machine (no GPU, no sandbox in containers). */
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu']

/** Lighthouse's two form factors: its default phone emulation, and a desktop window. */
const FORM_FACTORS: Record<string, Flags> = {
  mobile: {},
  desktop: { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } }
}

/**
 * `npx tsx bench/lighthouse.ts` (after `npm run build`): Lighthouse 12 on the
 * built app served by a real relay, in headless Chromium: the accessibility
 * and best-practices scores (targets {@link TARGETS}) for a phone and a
 * desktop, every audit that did not pass, and whether Chromium can install
 * the app (its installability errors; Lighthouse 12 has no PWA category any
 * more, so they are asked of Chromium itself). Exits non-zero below a target
 * or when the app is not installable.
 */
async function main (): Promise<void> {
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const chrome = await launch({ chromePath: chromiumPath() ?? '/usr/bin/chromium', chromeFlags: CHROME_FLAGS })
  let ok = true
  try {
    for (const [name, flags] of Object.entries(FORM_FACTORS)) {
      const result = await lighthouse(relay.appUrl, { ...flags, port: chrome.port, logLevel: 'error', onlyCategories: Object.keys(TARGETS) })
      if (result == null) {
        throw new Error('Lighthouse returned no result')
      }
      ok = report(name, result.lhr) && ok
    }
    ok = await reportInstallability(chrome.port, relay.appUrl) && ok
  } finally {
    chrome.kill()
    await relay.stop()
  }
  process.exitCode = ok ? 0 : 1
}

/** Print one run's scores and the audits that did not pass; whether every target was met. */
function report (formFactor: string, lhr: Result): boolean {
  let ok = true
  for (const [id, target] of Object.entries(TARGETS)) {
    const category = lhr.categories[id]
    const score = Math.round((category?.score ?? 0) * 100)
    ok &&= score >= target
    console.info(`${formFactor.padEnd(8)} ${id.padEnd(15)} ${score} (target ≥ ${target})`)
    for (const ref of category?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id]
      if (ref.weight > 0 && audit?.score != null && audit.score < 1) {
        console.info(`         not passed: ${ref.id}: ${audit.title}`)
      }
    }
  }
  return ok
}

/** Ask the same Chromium, through the DevTools protocol, why it could not install the app (nothing: installable). */
async function reportInstallability (port: number, url: string): Promise<boolean> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
  try {
    const page = await browser.contexts()[0]!.newPage()
    await page.goto(url)
    await page.evaluate(async () => await navigator.serviceWorker.ready)
    const cdp = await page.context().newCDPSession(page)
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    const { url: manifestUrl } = await cdp.send('Page.getAppManifest')
    console.info(`installable (PWA): ${installabilityErrors.length === 0 ? 'yes' : 'no'}, manifest ${manifestUrl}`)
    for (const error of installabilityErrors) {
      console.info(`         ${error.errorId} ${error.errorArguments.map(arg => `${arg.name}=${arg.value}`).join(' ')}`)
    }
    return installabilityErrors.length === 0
  } finally {
    await browser.close()
  }
}

await main()
