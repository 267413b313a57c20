import { request } from 'node:http'

/** A loopback address other than `127.0.0.1` to send requests from: another client, to a relay. */
export const OTHER_CLIENT_ADDRESS = '127.0.0.2'

/** What a plain HTTP client got: status, headers and the whole body. */
export interface PlainAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }

/**
 * A request as curl makes it: no service worker, no browser headers; `Host`
 * names the site origin. `signal` hangs up (the promise rejects with its
 * reason), as a client that gives up does. `localAddress` is the loopback
 * address the request comes from ({@link OTHER_CLIENT_ADDRESS}: another
 * client, to the relay).
 */
export async function plainGet (host: string, path: string, headers: Record<string, string> = {}, port = Number(process.env.WIA_HTTP_PORT), signal?: AbortSignal, localAddress?: string): Promise<PlainAnswer> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, signal, localAddress, headers: { host: `${host}:${port}`, accept: '*/*', 'user-agent': 'curl/8.5.0', ...headers } }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }) })
    })
    req.once('error', reject)
    req.end()
  })
}
