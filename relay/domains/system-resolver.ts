/**
 * A `@multiformats/dns` resolver that asks the machine's DNS servers (those
 * of `/etc/resolv.conf`, as `dns.getServers()` lists them) directly over UDP,
 * falling back to TCP for a truncated answer, and keeps each answer's TTL.
 *
 * Why not the package's own Node resolver: it uses `dns.promises.Resolver`,
 * whose `resolveTxt` gives no TTL, so every answer comes back with a made-up
 * 60 s; and it splits one TXT record of several strings into several
 * answers. Its other resolvers are DNS-over-HTTPS services on the internet,
 * which a relay must not reach behind the operator's back.
 *
 * @module
 */

import { randomInt } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { getServers } from 'node:dns'
import { connect, isIP } from 'node:net'
import { RECURSION_DESIRED, decode, encode } from '@dnsquery/dns-packet'
import { logger } from '@libp2p/logger'
import { RecordType } from '@multiformats/dns'
import { withTimeout } from '../../src/signals/index.js'
import { DNS_PORT, DNS_SERVER_TIMEOUT_MS, MAX_DNS_TCP_MESSAGE_BYTES } from './constants.js'
import { DnsServerError, NoDnsServersError } from './errors.js'
import type { Packet } from '@dnsquery/dns-packet'
import type { Answer, DNSResponse, QueryOptions } from '@multiformats/dns'
import type { DNSResolver } from '@multiformats/dns/resolvers'

const log = logger('wia:relay:domains:dns')

/** Response codes this resolver passes on as answers; any other tries the next server. */
const ANSWER_RCODES = new Map([['NOERROR', 0], ['NXDOMAIN', 3]])

const TYPE_NAMES = new Map<RecordType, 'A' | 'AAAA' | 'CNAME' | 'TXT'>([
  [RecordType.A, 'A'],
  [RecordType.AAAA, 'AAAA'],
  [RecordType.CNAME, 'CNAME'],
  [RecordType.TXT, 'TXT']
])

export interface SystemResolverInit {
  /**
   * The DNS servers to ask, in order, written as `dns.getServers()` writes
   * them (`10.0.0.53`, `1.2.3.4:5353`, `::1`, `[::1]:5353`).
   *
   * @default `dns.getServers()`, read at every query, so a changed `/etc/resolv.conf` takes effect after `dns.setServers()`
   */
  servers?(): string[]

  /**
   * How long one server may take to answer one query (ms) before the next is
   * asked.
   *
   * @default DNS_SERVER_TIMEOUT_MS (2 s)
   */
  serverTimeoutMs?: number
}

interface Server {
  address: string
  port: number
  family: 4 | 6
  /** `address:port`, for errors and logs */
  label: string
}

/**
 * Create a resolver for `dns({ resolvers: { '.': systemResolver() } })` that
 * asks the machine's DNS servers and returns real TTLs (seconds). Supports A,
 * AAAA, CNAME and TXT; a TXT record made of several strings is one answer
 * whose `data` is the strings joined. An empty `Answer` means the name or
 * the type does not exist (`Status` 3 or 0).
 *
 * @throws {NoDnsServersError} when no server is configured
 * @throws {AggregateError} of {@link DnsServerError}s when every server failed
 */
export function systemResolver (init: SystemResolverInit = {}): DNSResolver {
  const serverTimeoutMs = init.serverTimeoutMs ?? DNS_SERVER_TIMEOUT_MS
  const listServers = init.servers ?? getServers

  return async (fqdn: string, options: QueryOptions = {}): Promise<DNSResponse> => {
    const types = options.types == null ? [RecordType.A, RecordType.AAAA] : [options.types].flat()
    const servers = listServers().map(parseServer)

    if (servers.length === 0) {
      throw new NoDnsServersError()
    }

    const responses = await Promise.all(types.map(async type => {
      const typeName = TYPE_NAMES.get(type)
      if (typeName == null) {
        throw new TypeError(`unsupported DNS record type ${type}`)
      }
      return askServers(servers, fqdn, typeName, serverTimeoutMs, options.signal)
    }))

    return {
      Status: responses.find(r => r.status !== 0)?.status ?? 0,
      TC: false,
      RD: true,
      RA: responses.every(r => r.packet.flag_ra === true),
      AD: responses.every(r => r.packet.flag_ad === true),
      CD: false,
      Question: types.map(type => ({ name: fqdn, type })),
      Answer: responses.flatMap(r => toAnswers(r.packet))
    }
  }
}

/**
 * Ask each server in turn until one answers with `NOERROR` or `NXDOMAIN`.
 */
async function askServers (servers: Server[], fqdn: string, type: 'A' | 'AAAA' | 'CNAME' | 'TXT', timeoutMs: number, signal?: AbortSignal): Promise<{ status: number, packet: Packet }> {
  const errors: Error[] = []

  for (const server of servers) {
    signal?.throwIfAborted()
    const id = randomInt(0, 0x10000)
    const query = encode({ type: 'query', id, flags: RECURSION_DESIRED, questions: [{ type, name: fqdn }] })
    const attemptSignal = withTimeout(signal, timeoutMs)

    try {
      let packet = await udpExchange(server, query, attemptSignal)
      if (packet.flag_tc === true) {
        log('%s %s from %s truncated, asking over TCP', fqdn, type, server.label)
        packet = await tcpExchange(server, query, attemptSignal)
      }
      checkReply(packet, id, fqdn, server)
      const status = ANSWER_RCODES.get(String(packet.rcode))
      if (status == null) {
        throw new DnsServerError(fqdn, server.label, String(packet.rcode))
      }
      return { status, packet }
    } catch (err) {
      signal?.throwIfAborted()
      const error = err instanceof DnsServerError ? err : new DnsServerError(fqdn, server.label, undefined, { cause: err })
      log('%s %s - %e', fqdn, type, error)
      errors.push(error)
    }
  }

  throw new AggregateError(errors, `every DNS server failed for ${fqdn} ${type}`)
}

function checkReply (packet: Packet, id: number, fqdn: string, server: Server): void {
  const question = packet.questions?.[0]
  if (packet.id !== id || packet.type !== 'response' || question?.name.toLowerCase() !== fqdn.toLowerCase()) {
    throw new DnsServerError(fqdn, server.label, 'MISMATCH')
  }
}

/** The A, AAAA, CNAME and TXT records of a reply, TXT strings joined. */
function toAnswers (packet: Packet): Answer[] {
  const answers: Answer[] = []
  const text = new TextDecoder()

  for (const answer of packet.answers ?? []) {
    const ttl = answer.ttl ?? 0
    if (answer.type === 'TXT') {
      const chunks = [answer.data].flat()
      const data = chunks.map(chunk => typeof chunk === 'string' ? chunk : text.decode(chunk)).join('')
      answers.push({ name: answer.name, type: RecordType.TXT, TTL: ttl, data })
    } else if (answer.type === 'A' || answer.type === 'AAAA' || answer.type === 'CNAME') {
      answers.push({ name: answer.name, type: RecordType[answer.type], TTL: ttl, data: answer.data })
    }
  }

  return answers
}

/** Read `1.2.3.4`, `1.2.3.4:53`, `::1` or `[::1]:53`. */
function parseServer (spec: string): Server {
  let address = spec
  let port = DNS_PORT

  if (isIP(spec) === 0) {
    const match = /^\[(.+)\]:(\d+)$/.exec(spec) ?? /^([^:]+):(\d+)$/.exec(spec)
    if (match?.[1] == null || match[2] == null || isIP(match[1]) === 0) {
      throw new TypeError(`not a DNS server address: ${spec}`)
    }
    address = match[1]
    port = Number(match[2])
  }

  const family = isIP(address) === 6 ? 6 : 4
  return { address, port, family, label: family === 6 ? `[${address}]:${port}` : `${address}:${port}` }
}

/** Send one query over UDP and wait for the reply with the same id. */
async function udpExchange (server: Server, query: Uint8Array, signal: AbortSignal): Promise<Packet> {
  const socket = createSocket(server.family === 6 ? 'udp6' : 'udp4')
  const id = (query[0] ?? 0) << 8 | (query[1] ?? 0)

  try {
    return await new Promise<Packet>((resolve, reject) => {
      const onAbort = (): void => { reject(signal.reason) }
      signal.addEventListener('abort', onAbort, { once: true })
      socket.on('error', reject)
      socket.on('message', (message, remote) => {
        if (remote.port !== server.port || remote.address !== server.address) {
          return
        }
        try {
          const packet = decode(message)
          if (packet.id === id) {
            signal.removeEventListener('abort', onAbort)
            resolve(packet)
          }
        } catch {
          // not a DNS reply; keep waiting
        }
      })
      socket.send(query, server.port, server.address, err => { if (err != null) { reject(err) } })
    })
  } finally {
    socket.close()
  }
}

/** Send one query over TCP (2-byte length prefix, RFC 1035 §4.2.2) and read the reply. */
async function tcpExchange (server: Server, query: Uint8Array, signal: AbortSignal): Promise<Packet> {
  signal.throwIfAborted()
  const socket = connect({ host: server.address, port: server.port })

  try {
    return await new Promise<Packet>((resolve, reject) => {
      let buffered = Buffer.alloc(0)
      const onAbort = (): void => { reject(signal.reason) }
      signal.addEventListener('abort', onAbort, { once: true })
      socket.on('error', reject)
      socket.on('close', () => { reject(new Error('connection closed before the reply')) })
      socket.on('data', chunk => {
        buffered = Buffer.concat([buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
        if (buffered.length < 2) {
          return
        }
        const length = buffered.readUInt16BE(0)
        if (length > MAX_DNS_TCP_MESSAGE_BYTES) {
          reject(new Error('reply too long'))
        } else if (buffered.length >= 2 + length) {
          signal.removeEventListener('abort', onAbort)
          try {
            resolve(decode(buffered.subarray(2, 2 + length)))
          } catch (err) {
            reject(err)
          }
        }
      })
      const prefix = Buffer.alloc(2)
      prefix.writeUInt16BE(query.length)
      socket.write(Buffer.concat([prefix, query]))
    })
  } finally {
    socket.destroy()
  }
}
