/**
 * Runtime gaps of Node 20 that the libp2p 3.x / Helia 7.x packages rely on:
 * `Promise.withResolvers` and a global `WebSocket`.
 * Imported first by every Node entry point (relay, tests) so Node 20.19+ and
 * Node 22/24 run the same code (DESIGN.md §4).
 */

interface WithResolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const PromiseCtor = Promise as PromiseConstructor & { withResolvers?: <T>() => WithResolvers<T> }

if (typeof PromiseCtor.withResolvers !== 'function') {
  PromiseCtor.withResolvers = function withResolvers<T> (): WithResolvers<T> {
    let resolve!: (value: T | PromiseLike<T>) => void
    let reject!: (reason?: unknown) => void
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

// Node 20 has no global WebSocket (Node 22+ does); @libp2p/websockets dials with it.
if (typeof globalThis.WebSocket !== 'function') {
  const { WebSocket } = await import('ws')
  /**
   * `ws`'s WebSocket is an EventEmitter: an `error` with no listener left
   * throws and ends the process. The standard WebSocket (browsers, Node 22)
   * only dispatches it. libp2p stops listening once a dial gave up, and a
   * peer that resets the connection after that (a relay shedding a flood,
   * `npm run stress`) ended the relay or the test process; so, as the
   * standard one, this WebSocket never throws an error it only reports.
   */
  class EventOnlyErrorsWebSocket extends WebSocket {
    constructor (...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('error', () => {})
    }
  }
  globalThis.WebSocket = EventOnlyErrorsWebSocket as unknown as typeof globalThis.WebSocket
}

export {}
