import { chromium } from '@playwright/test'
import { launch } from 'chrome-launcher'
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/support/chromium.js'
import type { Page } from '@playwright/test'

/** A Chromium of its own, with one page, driven until {@link DetachedBrowser.detach}. */
export interface DetachedBrowser {
  /** Its first tab, driven through the DevTools protocol until detached. */
  page: Page
  /** Stop driving it: no DevTools client stays attached, the page runs on. */
  detach(): Promise<void>
  /** Process id of its browser process (its renderers and utilities are its children). */
  pid: number
  /** Kill the browser (`chrome-launcher` removes its profile). */
  close(): Promise<void>
}

/**
 * Start a headless Chromium process with `chrome-launcher`, outside
 * Playwright's, and drive its first tab over the DevTools protocol
 * (`connectOverCDP`). After `detach()` the page runs on with no client
 * attached: a tab as a person has it. A page Playwright drives has the
 * protocol's Network domain on, and Chromium then reports every WebSocket
 * frame the page sends or receives, payload included, to the driving
 * process: for a host tab serving a transfer over its WebSocket to the
 * relay, seconds of CPU per 100 MB in the browser process and in
 * Playwright's (probe of 2026-12-02: 9.3–9.5 MiB/s from a driven host tab,
 * 11.4–11.8 MiB/s from a detached one).
 */
export async function launchDetachedBrowser (): Promise<DetachedBrowser> {
  const chrome = await launch({ chromePath: chromiumPath() ?? '/usr/bin/chromium', chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] })
  const close = async (): Promise<void> => { chrome.kill() }
  try {
    const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`)
    const context = cdp.contexts()[0]
    const page = context?.pages()[0] ?? await context?.newPage()
    if (page == null) {
      throw new Error('the detached browser has no default context')
    }
    return { page, pid: chrome.pid, detach: async () => { await cdp.close() }, close }
  } catch (err) {
    await close()
    throw err
  }
}
