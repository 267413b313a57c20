import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { decode, encode } from '@dnsquery/dns-packet'
import { dns, RecordType } from '@multiformats/dns'
import { afterEach, describe, expect, it } from 'vitest'
import { systemResolver } from './system-resolver.js'
import { dnsTxtResolver } from './txt-check.js'
import type { Answer, Packet } from '@dnsquery/dns-packet'
import type { Server as TcpServer } from 'node:net'
import type { Socket } from 'node:dgram'

interface FakeServerInit {
  /** Answers by question name; a missing name is NXDOMAIN */
  zone: Record<string, Answer[]>
  /** Answer every query with this rcode instead */
  rcode?: string
  /** Set TC over UDP, answer over TCP */
  truncate?: boolean
}

const servers: Array<Socket | TcpServer> = []

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.close()
  }
})

function reply (query: Packet, init: FakeServerInit, truncated: boolean): Uint8Array {
  const question = query.questions?.[0]
  const answers = question == null ? [] : init.zone[question.name] ?? []
  const rcode = init.rcode ?? (question != null && init.zone[question.name] == null ? 'NXDOMAIN' : 'NOERROR')
  const rcodeNumber = ({ NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as Record<string, number>)[rcode] ?? 2
  return encode({
    type: 'response',
    id: query.id,
    flags: (truncated ? 1 << 9 : 0) | (1 << 8) | (1 << 7) | rcodeNumber,
    questions: query.questions,
    answers: truncated ? [] : answers
  })
}

/** A DNS server on loopback over UDP and TCP (same port); returns its address as `dns.getServers()` writes it. */
async function fakeServer (init: FakeServerInit): Promise<string> {
  const udp = createSocket('udp4')
  servers.push(udp)
  udp.on('message', (message, remote) => {
    udp.send(reply(decode(message), init, init.truncate === true), remote.port, remote.address)
  })
  udp.bind(0, '127.0.0.1')
  await once(udp, 'listening')
  const { port } = udp.address()

  const tcp = createServer(socket => {
    socket.once('data', (data: Buffer) => {
      const answer = reply(decode(data.subarray(2)), init, false)
      const prefix = Buffer.alloc(2)
      prefix.writeUInt16BE(answer.length)
      socket.end(Buffer.concat([prefix, answer]))
    })
  })
  servers.push(tcp)
  tcp.listen(port, '127.0.0.1')
  await once(tcp, 'listening')

  return `127.0.0.1:${port}`
}

const TXT: Answer = { type: 'TXT', name: '_wia.a.example', ttl: 1234, data: ['wia=alice.', 'wia.home'] }

describe('systemResolver', () => {
  it('returns TXT answers with their real TTL, strings joined', async () => {
    const server = await fakeServer({ zone: { '_wia.a.example': [TXT] } })
    const resolve = systemResolver({ servers: () => [server] })

    const response = await resolve('_wia.a.example', { types: RecordType.TXT })
    expect(response.Status).toBe(0)
    expect(response.Answer).toEqual([{ name: '_wia.a.example', type: RecordType.TXT, TTL: 1234, data: 'wia=alice.wia.home' }])
  })

  it('answers NXDOMAIN with no answers', async () => {
    const server = await fakeServer({ zone: {} })
    const response = await systemResolver({ servers: () => [server] })('_wia.b.example', { types: RecordType.TXT })
    expect(response.Status).toBe(3)
    expect(response.Answer).toEqual([])
  })

  it('asks the next server when one fails, and TCP when UDP is truncated', async () => {
    const failing = await fakeServer({ zone: {}, rcode: 'SERVFAIL' })
    const truncating = await fakeServer({ zone: { '_wia.a.example': [TXT] }, truncate: true })
    const response = await systemResolver({ servers: () => [failing, truncating] })('_wia.a.example', { types: RecordType.TXT })
    expect(response.Answer[0]).toMatchObject({ TTL: 1234, data: 'wia=alice.wia.home' })
  })

  it('fails with every server\'s error when none answers in time', async () => {
    const silent = createSocket('udp4')
    servers.push(silent)
    silent.bind(0, '127.0.0.1')
    await once(silent, 'listening')
    const failing = await fakeServer({ zone: {}, rcode: 'REFUSED' })

    const error = await systemResolver({ servers: () => [`127.0.0.1:${silent.address().port}`, failing], serverTimeoutMs: 200 })('x.example', { types: RecordType.TXT })
      .catch((err: unknown) => err)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as AggregateError).errors.map((e: { name: string, rcode?: string }) => [e.name, e.rcode])).toEqual([['DnsServerError', undefined], ['DnsServerError', 'REFUSED']])
  })

  it('fails when no server is configured', async () => {
    await expect(systemResolver({ servers: () => [] })('x.example', { types: RecordType.TXT })).rejects.toMatchObject({ name: 'NoDnsServersError' })
  })

  it('serves dnsTxtResolver through @multiformats/dns, with no record as []', async () => {
    const server = await fakeServer({ zone: { '_wia.a.example': [TXT] } })
    const resolveTxt = dnsTxtResolver(dns({ resolvers: { '.': systemResolver({ servers: () => [server] }) } }))
    expect(await resolveTxt('_wia.a.example', {})).toEqual([{ data: 'wia=alice.wia.home', ttl: 1234 }])
    expect(await resolveTxt('_wia.none.example', {})).toEqual([])
  })
})
