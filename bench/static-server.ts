import { createServer } from 'node:http'
import { once } from 'node:events'
import sirv from 'sirv'
import { spawnBenchChild } from './child.js'
import type { Server } from 'node:http'

/**
 * The baseline a user would pick instead of wia-home: a plain static HTTP
 * server on loopback with ETags and `Cache-Control: no-cache` (so a warm load
 * revalidates, as most static hosts do for HTML).
 */
export async function startStaticServer (dir: string): Promise<{ url: string, server: Server }> {
  const files = sirv(dir, {
    etag: true,
    dev: false,
    setHeaders: res => { res.setHeader('Cache-Control', 'no-cache') }
  })
  const server = createServer((req, res) => { files(req, res, () => { res.statusCode = 404; res.end() }) })
  return { url: await listenOnLoopback(server), server }
}

/** Listen on a free loopback port; returns `http://127.0.0.1:<port>`. */
export async function listenOnLoopback (server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address == null || typeof address === 'string') {
    throw new Error('the server has no port')
  }
  return `http://127.0.0.1:${address.port}`
}

/** How long the static server's own process may take to listen (ms). */
const STATIC_START_TIMEOUT_MS = 30_000

/**
 * {@link startStaticServer} in a Node process of its own
 * (`static-server-process.ts`), as a relay is: a baseline the bench
 * process's own work (Playwright's client, earlier stages' garbage) does not
 * slow down. Resolves once it listens.
 *
 * @throws when the process exits or does not listen within 30 s
 */
export async function spawnStaticServer (dir: string): Promise<{ url: string, stop: () => Promise<void> }> {
  const child = spawnBenchChild('static-server-process.ts', [dir])
  try {
    const [, url] = await child.waitForLine(/^static: (\S+)$/, STATIC_START_TIMEOUT_MS)
    return { url: url!, stop: async () => { await child.stop() } }
  } catch (err) {
    await child.stop()
    throw err
  }
}
