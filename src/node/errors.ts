/** A configured relay address cannot be used. */
export class InvalidRelayAddressError extends Error {
  static override name = 'InvalidRelayAddressError'
  override name = 'InvalidRelayAddressError'
}

/** No relay could be dialled, so the node cannot reach the WIA network. */
export class NoRelayReachableError extends Error {
  static override name = 'NoRelayReachableError'
  override name = 'NoRelayReachableError'
}

/** The client configuration could not be loaded from the server. */
export class ConfigUnavailableError extends Error {
  static override name = 'ConfigUnavailableError'
  override name = 'ConfigUnavailableError'
}

/** No relay gave this node a circuit relay reservation in time, so it cannot be reached. */
export class NoReservationError extends Error {
  static override name = 'NoReservationError'
  override name = 'NoReservationError'
}
