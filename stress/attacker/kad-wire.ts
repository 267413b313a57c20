import { MessageType, Record as DHTRecord } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { lpStream } from '@libp2p/utils'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { reader, writer } from 'protons-runtime'
import { fromString } from 'uint8arrays'
import { WIA_DHT_PROTOCOL, wiaYamux } from '../../src/node/index.js'
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Raw kad-dht messages on the WIA DHT's protocol (`WIA_DHT_PROTOCOL`), as a
 * peer that does not run kad-dht sends them: the `Message` of kad-dht's
 * `dht.proto`, length-prefixed. Only the fields the attacks use are written
 * and read; kad-dht does not export its codec, so protons-runtime's reader
 * and writer do it here by field number.
 */

/** Wire numbers of kad-dht's `MessageType` enum (`dht.proto`). */
const MESSAGE_TYPE_NUMBERS: Record<MessageType, number> = {
  [MessageType.PUT_VALUE]: 0,
  [MessageType.GET_VALUE]: 1,
  [MessageType.ADD_PROVIDER]: 2,
  [MessageType.GET_PROVIDERS]: 3,
  [MessageType.FIND_NODE]: 4,
  [MessageType.PING]: 5
}

/** Largest message the attacker writes or reads (bytes): above kad-dht's own 4 MiB bound, so the relay is the one to refuse. */
export const MAX_WIRE_MESSAGE_BYTES = 16 * 1024 * 1024

/** The fields of a kad-dht `Message` the attacks use. */
export interface KadMessage {
  type: MessageType
  key?: Uint8Array
  /** A serialized `Record` (`@libp2p/record`), or any bytes when fuzzing. */
  record?: Uint8Array
}

/** A decoded answer: its record, and how many closer peers it named. */
export interface KadAnswer extends KadMessage {
  closerPeers: number
}

/** Encode a kad-dht `Message` (fields 1 type, 2 key, 3 record). */
export function encodeKadMessage (message: KadMessage): Uint8Array {
  const w = writer()
  w.uint32(8)
  w.int32(MESSAGE_TYPE_NUMBERS[message.type])
  if (message.key != null) {
    w.uint32(18)
    w.bytes(message.key)
  }
  if (message.record != null) {
    w.uint32(26)
    w.bytes(message.record)
  }
  return w.finish()
}

/** Decode a kad-dht `Message`, counting `closer` (field 8) instead of reading it. */
export function decodeKadMessage (bytes: Uint8Array): KadAnswer {
  const r = reader(bytes)
  const types = Object.entries(MESSAGE_TYPE_NUMBERS)
  const answer: KadAnswer = { type: MessageType.PING, closerPeers: 0 }
  while (r.pos < r.len) {
    const tag = r.uint32()
    switch (tag >>> 3) {
      case 1: {
        const number = r.int32()
        answer.type = (types.find(([, n]) => n === number)?.[0] ?? MessageType.PING) as MessageType
        break
      }
      case 2: answer.key = r.bytes(); break
      case 3: answer.record = r.bytes(); break
      case 8: r.skipType(tag & 7); answer.closerPeers++; break
      default: r.skipType(tag & 7)
    }
  }
  return answer
}

/** A bare libp2p node that dials relays over WebSockets and runs no service: it speaks the wire by hand. */
export async function createWireNode (): Promise<Libp2p> {
  return await createLibp2p({ transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [wiaYamux()] })
}

/** The DHT key of a WIA name record as bytes (`/wia/<name>`). */
export function wiaKey (name: string): Uint8Array {
  return fromString(`/wia/${name}`)
}

/** A kad-dht `Record` envelope around `value` under `key`. */
export function recordEnvelope (key: Uint8Array, value: Uint8Array): Uint8Array {
  return new DHTRecord(key, value, new Date()).serialize()
}

/** The value inside a serialized `Record` envelope. */
export function recordValue (envelope: Uint8Array): Uint8Array {
  return DHTRecord.deserialize(envelope).value
}

/** How the relay took one message. */
export type Outcome = 'answered' | 'refused' | 'timed-out'

/**
 * Send one message (already encoded, or any bytes) on a new stream of the
 * WIA DHT protocol and read the answer: `answered` when the relay wrote one
 * back (for a `PUT_VALUE`, kad-dht echoes the message once it stored the
 * record), `refused` when it reset or closed the stream, `timed-out` when
 * nothing came within `timeoutMs`.
 */
export async function sendKadMessage (node: Pick<Libp2p, 'dialProtocol'>, relay: Multiaddr, bytes: Uint8Array, timeoutMs: number): Promise<{ outcome: Outcome, answer?: Uint8Array, reason?: string }> {
  const signal = AbortSignal.timeout(timeoutMs)
  let stream
  try {
    stream = await node.dialProtocol(relay, WIA_DHT_PROTOCOL, { signal })
  } catch (err) {
    return { outcome: signal.aborted ? 'timed-out' : 'refused', reason: `dial: ${reasonOf(err)}` }
  }
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_WIRE_MESSAGE_BYTES })
    await lp.write(bytes, { signal })
    const answer = (await lp.read({ signal })).subarray()
    await stream.close({ signal }).catch(() => {})
    return { outcome: 'answered', answer }
  } catch (err) {
    stream.abort(new Error('attack message done'))
    return { outcome: signal.aborted ? 'timed-out' : 'refused', reason: `stream: ${reasonOf(err)}` }
  }
}

/** An error's name and the start of its message: why a message was refused, short enough to tally. */
function reasonOf (err: unknown): string {
  const { name, message } = err as Error
  return `${name}: ${String(message).slice(0, 80)}`
}

/**
 * `GET_VALUE` of `name` sent to `relay` alone: how the relay took the
 * message and the record its own DHT store hands out (kad-dht answers from
 * its store only, and drops a record 48 h after it received it); no `value`
 * when it has none or did not answer.
 */
export async function getRecordOverWire (node: Pick<Libp2p, 'dialProtocol'>, relay: Multiaddr, name: string, timeoutMs: number): Promise<{ outcome: Outcome, value?: Uint8Array }> {
  const { outcome, answer } = await sendKadMessage(node, relay, encodeKadMessage({ type: MessageType.GET_VALUE, key: wiaKey(name) }), timeoutMs)
  const envelope = answer == null ? undefined : decodeKadMessage(answer).record
  return envelope == null ? { outcome } : { outcome, value: recordValue(envelope) }
}
