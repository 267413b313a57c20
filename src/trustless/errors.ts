/**
 * Named errors of trustless retrieval. Callers compare them by `name`; each
 * class carries its name as a static `name` that survives minification.
 *
 * @module
 */

/** A block's bytes do not hash to its CID: whoever sent them altered or mixed them up. */
export class BlockHashMismatchError extends Error {
  static override name = 'BlockHashMismatchError'
  override name = 'BlockHashMismatchError'
  /** The CID the bytes were sent for. */
  readonly cid: string

  constructor (cid: string, options?: ErrorOptions) {
    super(`The bytes sent for block ${cid} do not match its hash`, options)
    this.cid = cid
  }
}

/** A CID uses a hash function this client cannot check, so its bytes cannot be trusted. */
export class UnsupportedHashError extends Error {
  static override name = 'UnsupportedHashError'
  override name = 'UnsupportedHashError'
  /** The multihash code (`0x12` is sha2-256). */
  readonly code: number

  constructor (code: number, options?: ErrorOptions) {
    super(`Blocks hashed with multihash code 0x${code.toString(16)} cannot be verified`, options)
    this.code = code
  }
}

/** A stream sent as a CAR is not a valid CARv1 (ipld.io/specs/transport/car/carv1): whoever sent it is broken or hostile. */
export class MalformedCarError extends Error {
  static override name = 'MalformedCarError'
  override name = 'MalformedCarError'

  constructor (detail: string, options?: ErrorOptions) {
    super(`Malformed CAR: ${detail}`, options)
  }
}

/** A CAR response holds a block that was not asked for or is malformed. */
export class UnexpectedCarContentError extends Error {
  static override name = 'UnexpectedCarContentError'
  override name = 'UnexpectedCarContentError'
}
