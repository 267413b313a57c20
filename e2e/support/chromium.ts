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

/**
 * Headless flags known to work on these machines (no network beyond loopback).
 *
 * The `--disable-features` list: Chromium 156's headless mode builds each new
 * window's omnibox popup as a WebUI page (`chrome://omnibox-popup.top-chrome`)
 * in a renderer of its own, which a user's browser does once per window but a
 * test or benchmark does for every new context. On 2 cores it took 0.4-0.5 s
 * of CPU and 0.2 s of the browser process's while the page under test loaded
 * (a Chromium trace of a cold visit), competing with it: the static server's
 * 95 MiB transfer ran at 170 MiB/s with it and 340-390 MiB/s without
 * (`npm run bench -- --only throughput`, 2026-12-03).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'
]
