import { Pool } from 'undici'

/** One request a load client makes. */
export interface LoadRequest {
  path: string
  headers?: Record<string, string>
}

export interface HttpLoadInit {
  /** Server to load, `http://127.0.0.1:PORT`. */
  origin: string
  /** Keep-alive connections, each with one request in flight at a time (no pipelining). */
  clients: number
  /** How long the clients keep sending (ms); requests under way then are waited for and counted. */
  durationMs: number
  /** The `i`-th request of client `client`. */
  request(client: number, i: number): LoadRequest
}

/**
 * Requests per second one server answers to `clients` keep-alive HTTP/1.1
 * connections (undici's `Pool`), each sending its next request as soon as
 * the body of the previous one was read, for `durationMs`. Every connection
 * is opened (one request each) before the clock starts.
 *
 * @throws when an answer is not 200
 */
export async function requestsPerSecond (init: HttpLoadInit): Promise<number> {
  const pool = new Pool(init.origin, { connections: init.clients, pipelining: 1 })
  const send = async (client: number, i: number): Promise<void> => {
    const { path, headers } = init.request(client, i)
    const { statusCode, body } = await pool.request({ method: 'GET', path, headers })
    await body.arrayBuffer()
    if (statusCode !== 200) {
      throw new Error(`GET ${path} answered ${statusCode}`)
    }
  }
  const clients = Array.from({ length: init.clients }, (_, client) => client)
  try {
    await Promise.all(clients.map(async client => { await send(client, 0) }))
    let answered = 0
    const start = performance.now()
    const end = start + init.durationMs
    await Promise.all(clients.map(async client => {
      for (let i = 1; performance.now() < end; i++) {
        await send(client, i)
        answered++
      }
    }))
    return answered / ((performance.now() - start) / 1000)
  } finally {
    await pool.close()
  }
}
