import { firstVisitRequests } from '../src/trustless/index.js'
import { CONFIG_PATH } from '../src/node/client-config.js'

/** Path prefix reserved on every site origin for wia-home's own files. */
export const WIA_PREFIX = '/_wia/'
/** Where the site service worker is served on every site origin. */
export const SITE_SW_PATH = '/_wia/sw.js'
/** Cookie the bootstrap page sets in a browser without service workers: the relay then serves the site itself (`site-content.ts`). */
export const NO_WORKER_COOKIE = 'wia-no-sw'

/**
 * The page a site origin answers with while it has no service worker yet
 * (DESIGN.md §3: the very first request to a site origin). It registers the
 * site service worker for scope `/`, waits until it controls the page and
 * reloads, so the same URL is then answered by the service worker.
 *
 * If a service worker already controls the page and the server still got the
 * navigation, the worker failed: the page says so instead of reloading forever.
 * A browser without service workers (Firefox private windows before 138) gets
 * a cookie and a reload, and the relay serves it the site itself.
 *
 * As it registers the worker, the page makes the worker's first requests
 * itself (the client configuration, the name's record and, when `root` is
 * given, the CAR of the page at `pathname`; `src/trustless/visit-requests.ts`),
 * so they travel while the worker's script is fetched and started, and the
 * browser's HTTP cache holds their answers when the worker's install asks.
 * `root` is the root the relay holds for the name: a hint, never trusted (the
 * worker asks for the root of the record it verified, and a wrong hint only
 * fetches a CAR nobody reads).
 */
export function bootstrapPage (name: string, pathname = '/', root?: string): string {
  const safeName = name.replace(/[^a-z0-9.-]/g, '')
  // JSON inside a script element: no "<" may close it
  const requests = JSON.stringify(firstVisitRequests(WIA_PREFIX, CONFIG_PATH, name, pathname, root)).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Opening ${safeName}…</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem;color:#222}</style>
</head>
<body>
<main>
<p id="wia-bootstrap" role="status">Opening ${safeName}…</p>
</main>
<script>
(async () => {
  const status = document.getElementById('wia-bootstrap')
  const fail = (text) => { status.setAttribute('role', 'alert'); status.textContent = text }
  if (!('serviceWorker' in navigator)) {
    if (!document.cookie.includes('${NO_WORKER_COOKIE}=1')) {
      document.cookie = '${NO_WORKER_COOKIE}=1; path=/; SameSite=Lax'
      location.reload()
      return
    }
    fail('This browser cannot open WIA sites: it does not support service workers and keeps no cookies. Try a current Chrome, Edge, Firefox or Safari.')
    return
  }
  if (navigator.serviceWorker.controller != null) {
    fail('The WIA service worker for ${safeName} did not answer. Reload the page to try again.')
    return
  }
  for (const { url, accept } of ${requests}) {
    fetch(url, accept == null ? {} : { headers: { accept } }).then(res => res.arrayBuffer()).catch(() => {})
  }
  try {
    await navigator.serviceWorker.register('${SITE_SW_PATH}', { scope: '/' })
    await new Promise(resolve => {
      if (navigator.serviceWorker.controller != null) { resolve(); return }
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
    })
    location.reload()
  } catch (err) {
    fail('Could not start the WIA service worker for ${safeName}: ' + err.message + '. Reload the page to try again.')
  }
})()
</script>
</body>
</html>
`
}
