import type { BrowserContext, CDPSession, Page } from '@playwright/test'

/**
 * Emulated network latency of a page **and of the service workers it
 * starts** (CDP `Network.emulateNetworkConditions`): Chromium holds back
 * each response of a request either makes until at least `latencyMs` after
 * the request was sent. No throughput limit.
 *
 * A page's emulation does not throttle its service worker's own fetches:
 * the worker is a DevTools target of its own (checked with Chromium 156: with
 * the page emulating 200 ms, a `fetch` the worker made took 3 ms; 204 ms once
 * the worker's target was emulated too). So the page's CDP session also
 * auto-attaches to the targets related to the page (`Target.setAutoAttach`;
 * Chromium attaches a page to the service workers whose scope covers it,
 * also ones registered later) and emulates the same latency on each. The
 * session attaches non-flat and talks to the worker through
 * `Target.sendMessageToTarget`, since Playwright offers CDP sessions for
 * pages only. Playwright itself resumes a new worker at once (it holds the
 * workers' flat sessions), so `waitForDebuggerOnStart` cannot hold the
 * worker until it is emulated; the site worker fetches nothing before the
 * reloaded page's first request, long after it starts, and
 * {@link expectWorkerLatency} checks afterwards that its fetches paid the
 * latency.
 *
 * Requests a page makes that its worker answers are not delayed (they never
 * reach the network); page → site origin requests before the worker
 * controls the page (the bootstrap page, the worker script) are.
 */
export async function emulateLatency (page: Page, latencyMs: number): Promise<void> {
  const conditions = { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 }
  const session = await page.context().newCDPSession(page)
  const toTarget = targetMessenger(session)
  session.on('Target.attachedToTarget', ({ sessionId, waitingForDebugger }) => {
    void (async () => {
      try {
        await toTarget(sessionId, 'Network.emulateNetworkConditions', conditions)
        if (waitingForDebugger) {
          await toTarget(sessionId, 'Runtime.runIfWaitingForDebugger', {})
        }
      } catch {
        // the target went away (a worker stopped, the context closed): nothing to emulate
      }
    })()
  })
  await session.send('Network.emulateNetworkConditions', conditions)
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false })
}

/** Sends a command to a target attached non-flat to `session`; resolves with its result, rejects with its error. */
function targetMessenger (session: CDPSession): (sessionId: string, method: string, params: object) => Promise<unknown> {
  let lastId = 0
  const pending = new Map<number, { resolve: (result: unknown) => void, reject: (err: Error) => void }>()
  session.on('Target.receivedMessageFromTarget', ({ message }) => {
    const reply = JSON.parse(message) as { id?: number, result?: unknown, error?: { message: string } }
    const waiter = reply.id == null ? undefined : pending.get(reply.id)
    if (waiter == null) return
    pending.delete(reply.id!)
    if (reply.error != null) {
      waiter.reject(new Error(reply.error.message))
    } else {
      waiter.resolve(reply.result)
    }
  })
  return async (sessionId, method, params) => {
    const id = ++lastId
    const answered = new Promise<unknown>((resolve, reject) => { pending.set(id, { resolve, reject }) })
    await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
    return await answered
  }
}

/**
 * Check that every network fetch of the context's service workers paid the
 * emulated latency: in their Resource Timing each took at least `latencyMs`
 * from its start to its last byte (`duration`, less 1 ms of clock
 * rounding). Not `responseStart`: Chromium stamps it when the headers came
 * off the socket, before its throttle holds them back. Answers from the
 * browser's HTTP cache (`transferSize` 0 with a body: what the bootstrap
 * page fetched for the worker, having paid the latency itself) are not
 * network fetches and are left out.
 *
 * @throws when a worker fetched something faster, i.e. before its emulation took hold
 */
export async function expectWorkerLatency (context: BrowserContext, latencyMs: number): Promise<void> {
  for (const worker of context.serviceWorkers()) {
    const fastest = await worker.evaluate(() => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      return entries.filter(entry => !(entry.transferSize === 0 && entry.encodedBodySize > 0)).map(entry => ({ url: entry.name, ms: entry.duration })).sort((a, b) => a.ms - b.ms)[0]
    })
    if (fastest != null && fastest.ms < latencyMs - 1) {
      throw new Error(`the worker fetched ${fastest.url} in ${fastest.ms.toFixed(1)} ms, under the emulated ${latencyMs} ms`)
    }
  }
}
