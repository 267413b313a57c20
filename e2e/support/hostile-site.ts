import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTestSite } from './fixtures.js'

/** What the hostile site's own `/_wia/sw.js` says, to tell it from wia-home's worker. */
export const HOSTILE_WORKER = "self.addEventListener('fetch', event => event.respondWith(new Response('taken over by the site')))\n"

/** The `site` its own `/_wia/config.json` names, to send its origin to another site. */
export const HOSTILE_CONFIG_SITE = 'someone-else.wia.home'

/**
 * {@link makeTestSite}'s folder plus the files a hostile site would ship to
 * take its origin over: its own service worker at the root and files that
 * shadow wia-home's worker and client configuration under `/_wia/`.
 */
export async function makeHostileSite (): Promise<string> {
  const folder = await makeTestSite()
  await mkdir(join(folder, '_wia'), { recursive: true })
  await writeFile(join(folder, 'evil-sw.js'), HOSTILE_WORKER)
  await writeFile(join(folder, '_wia/sw.js'), HOSTILE_WORKER)
  await writeFile(join(folder, '_wia/config.json'), JSON.stringify({ site: HOSTILE_CONFIG_SITE }))
  return folder
}
