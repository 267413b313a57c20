/**
 * Asking every relay the same question over HTTP and keeping the answers
 * that came (`visits.ts`, `peers.ts`): each relay within its own time bound,
 * a failing one left out with its reason.
 */

export interface AskRelaysOptions {
  /** How long one relay may take before it is left out (ms). */
  timeoutMs: number
  /** `Accept` header of each request. @default none */
  accept?: string
  signal?: AbortSignal
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

/** What the relays said: the answers that came, and why the others are missing. */
export interface RelayAnswers<T> {
  answers: T[]
  /** `<url>: <what went wrong>` for each relay left out. */
  reasons: string[]
}

/**
 * GET every URL at once (uncached, without credentials) and read each `200`
 * answer with `read`; a relay that fails, answers another status, takes
 * longer than `timeoutMs` or whose answer `read` refuses is left out.
 *
 * @throws {DOMException} `AbortError` when `options.signal` aborts
 */
export async function askRelays<T> (urls: URL[], read: (res: Response) => Promise<T>, options: AskRelaysOptions): Promise<RelayAnswers<T>> {
  const get = options.fetch ?? globalThis.fetch.bind(globalThis)
  const reasons: string[] = []
  const answers = await Promise.all(urls.map(async url => {
    const timeout = AbortSignal.timeout(options.timeoutMs)
    try {
      const res = await get(url, {
        cache: 'no-store',
        credentials: 'omit',
        headers: options.accept == null ? undefined : { accept: options.accept },
        signal: options.signal == null ? timeout : AbortSignal.any([options.signal, timeout])
      })
      if (!res.ok) {
        throw new Error(`HTTP ${res.status}`)
      }
      return { value: await read(res) }
    } catch (err) {
      reasons.push(`${url.origin}: ${(err as Error).message}`)
      return undefined
    }
  }))
  options.signal?.throwIfAborted()
  return { answers: answers.flatMap(answer => answer == null ? [] : [answer.value]), reasons }
}
