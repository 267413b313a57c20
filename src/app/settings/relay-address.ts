import { InvalidRelayAddressError } from '../../node/errors.js'
import { parseRelayAddrs } from '../../node/relays.js'

/**
 * A relay the user added: a multiaddr naming its PeerId
 * (`/dns4/relay.example.com/tcp/443/wss/p2p/12D3KooW…`), dialled as it is, or
 * the relay's web address (`https://relay.example.com`), whose
 * `/_wia/config.json` lists its multiaddrs.
 */
export type RelayAddress = { kind: 'multiaddr', addr: string } | { kind: 'url', url: string }

/**
 * Read what the user typed as a relay address.
 *
 * @param text - a relay multiaddr ending in `/p2p/<PeerId>`, or an `http(s)://` URL (only its origin is kept)
 * @throws {InvalidRelayAddressError} for anything else
 */
export function parseRelayAddress (text: string): RelayAddress {
  const trimmed = text.trim()
  if (trimmed.startsWith('/')) {
    parseRelayAddrs([trimmed])
    return { kind: 'multiaddr', addr: trimmed }
  }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch (err) {
    throw new InvalidRelayAddressError(`"${trimmed}" is neither a multiaddr nor a URL`, { cause: err })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidRelayAddressError(`relay URL "${trimmed}" is not http(s)`)
  }
  return { kind: 'url', url: url.origin }
}

/** The text form of a relay address, as stored and shown. */
export function relayAddressText (address: RelayAddress): string {
  return address.kind === 'multiaddr' ? address.addr : address.url
}
