/**
 * The viewports and themes the app's screens are checked in, and the check:
 * no sideways scrolling, a screenshot and axe-core in each theme.
 */

import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect } from '@playwright/test'
import type { BrowserContextOptions, Page } from '@playwright/test'

/** The two viewports the app is checked in: a desktop window, and a phone with touch. */
export const VIEWPORTS: Record<'desktop' | 'phone', BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
}

/** Where the screenshots go (under Playwright's gitignored results folder). */
export const SCREENS_DIR = join('test-results', 'screens')

const THEMES = ['light', 'dark'] as const

/**
 * Screenshot the page in both themes as `<viewport>-<theme>-<screen>.png` and
 * run axe-core on it in each: every violation fails the test (softly, so one
 * run lists them all).
 */
export async function checkScreen (page: Page, viewport: string, screen: string): Promise<void> {
  expect.soft(await overflowing(page), `wider than the ${viewport} viewport on ${screen}`).toEqual([])
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme })
    await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /wa-dark/ : /wa-light/)
    await page.screenshot({ path: join(SCREENS_DIR, `${viewport}-${colorScheme}-${screen}.png`), fullPage: true })
    const { violations } = await new AxeBuilder({ page }).analyze()
    const found = violations.map(v => `${v.id} (${v.impact ?? ''}): ${v.nodes.map(node => JSON.stringify(node.target)).join(', ')}`)
    expect.soft(found, `axe on ${screen}, ${viewport}, ${colorScheme}`).toEqual([])
  }
}

/**
 * When the page scrolls sideways, the elements (through shadow roots) that
 * stick out of the viewport on the right; else none (content clipped inside
 * a box, such as a visually hidden table, does not count).
 */
async function overflowing (page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    if (document.documentElement.scrollWidth <= document.documentElement.clientWidth) {
      return found
    }
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
          found.push(`${el.localName}${el.id === '' ? '' : `#${el.id}`}${el.classList.length === 0 ? '' : `.${[...el.classList].join('.')}`}`)
        }
        if (el.shadowRoot != null) {
          visit(el.shadowRoot)
        }
      }
    }
    visit(document)
    return found
  })
}
