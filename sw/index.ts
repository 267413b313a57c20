/// <reference lib="webworker" />
import { pickHandler } from './handler.js'
import { siteHandler } from './handlers/site.js'
import type { FetchHandler } from './handler.js'

declare const self: ServiceWorkerGlobalScope

/**
 * The site service worker, registered on every site origin
 * (`<name>.wia.<tld>.<suffix>`) by the bootstrap page. Ordered handler list;
 * requests no handler takes (wia-home's own `/_wia/` files) go to the network.
 */
const site = siteHandler()
const handlers: readonly FetchHandler[] = [site]

self.addEventListener('install', () => {
  void self.skipWaiting()
  // the bootstrap page reloads once this worker controls it: have the name resolved by then
  void site.warm().catch(() => {})
})

self.addEventListener('activate', event => {
  event.waitUntil(self.clients.claim())
})

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url)
  const handler = pickHandler(handlers, event.request, url)
  if (handler != null) {
    event.respondWith(handler.handle(event.request, url, event))
  }
})
