import { request } from 'node:http'
import type { Agent } from 'node:http'

export interface HttpAnswer {
  status: number
  body: Buffer
  /**
   * When the request had its socket (`performance.now()`, ms): time from
   * then is the server's and the network's, not this process's own
   * event-loop delay before it could send (an attacker process busy with
   * its own work starts its requests late).
   */
  startedAt: number
}

/**
 * `GET path` from the relay's HTTP port on loopback with `Host: <host>:<port>`
 * (a site origin as a browser names it), as a plain HTTP client: no
 * service worker, no compression. `method: 'POST'` sends an empty body
 * (the visit reports of `/_wia/visit/<name>`).
 *
 * @throws when the connection fails or `timeoutMs` passes before the whole body
 */
export async function httpGet (port: number, host: string, path: string, options: { agent?: Agent, timeoutMs: number, method?: 'GET' | 'POST' }): Promise<HttpAnswer> {
  return await new Promise((resolve, reject) => {
    let startedAt = performance.now()
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent, headers: { host: `${host}:${port}`, accept: '*/*' } }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.once('error', reject)
      res.once('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), startedAt }) })
    })
    req.once('socket', () => { startedAt = performance.now() })
    const timer = setTimeout(() => { req.destroy(new Error(`no whole answer within ${options.timeoutMs} ms`)) }, options.timeoutMs)
    req.once('error', err => { clearTimeout(timer); reject(err) })
    req.end()
  })
}
