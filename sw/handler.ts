/**
 * One step of the service worker's routing: the ordered handler list pattern
 * of the IPFS service-worker gateway. The first handler whose `canHandle`
 * returns true answers the request; none → the browser's own network fetch.
 */
export interface FetchHandler {
  /** Name for logs. */
  readonly name: string
  canHandle(request: Request, url: URL): boolean
  handle(request: Request, url: URL, event: FetchEvent): Promise<Response>
}

/** The first handler that accepts the request, or `undefined` to let it through. */
export function pickHandler (handlers: readonly FetchHandler[], request: Request, url: URL): FetchHandler | undefined {
  return handlers.find(handler => handler.canHandle(request, url))
}
