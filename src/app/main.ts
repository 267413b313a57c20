import { Workbox } from 'workbox-window'
import { followColorScheme } from './ui/theme.js'
import './ui/wia-app.js'

/** The app-shell service worker built by vite-plugin-pwa from `sw/app-shell.ts`. */
const APP_SW_URL = '/app-shell.js'

followColorScheme()

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const wb = new Workbox(APP_SW_URL)
  // a new app version takes over at the next load instead of waiting for every tab to close
  wb.addEventListener('waiting', () => { wb.messageSkipWaiting() })
  void wb.register()
}
