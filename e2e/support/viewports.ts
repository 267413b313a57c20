import type { BrowserContextOptions } from '@playwright/test'

/** The two viewports the app is checked in: a desktop window, and a phone with touch. */
export const VIEWPORTS: Record<'desktop' | 'phone', BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
}
