import { createServer } from 'node:http'
import { once } from 'node:events'
import sirv from 'sirv'
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
