/** Every relay gateway was asked and none gave a good answer. */
export class GatewaysUnavailableError extends Error {
  static override name = 'GatewaysUnavailableError'
  override name = 'GatewaysUnavailableError'
  /** What each gateway did, in the order asked (`https://example.org/_wia/: HTTP 504`). */
  readonly attempts: readonly string[]
  /** The HTTP statuses relays answered with (none for a relay out of reach). */
  readonly statuses: readonly number[]

  constructor (what: string, attempts: readonly string[], statuses: readonly number[] = [], options?: ErrorOptions) {
    super(`No relay gave ${what}: ${attempts.join('; ')}`, options)
    this.attempts = attempts
    this.statuses = statuses
  }
}

/** A relay answered with an HTTP error status. */
export class GatewayStatusError extends Error {
  static override name = 'GatewayStatusError'
  override name = 'GatewayStatusError'
  readonly status: number

  constructor (status: number, options?: ErrorOptions) {
    super(`HTTP ${status}`, options)
    this.status = status
  }
}
