import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { LevelBlockstore } from 'blockstore-level'
import { exporter } from 'ipfs-unixfs-exporter'
import toBuffer from 'it-to-buffer'
import { startNodePeer } from '../../e2e/support/node-peer.js'
import { TEST_POW_BITS, startRelay } from '../../e2e/support/relay-process.js'
import { uniqueLabel } from '../../e2e/support/site.js'
import { FIRST_BYTE_TIMEOUT_MS } from '../../relay/gateway/constants.js'
import { checked, kept } from '../report.js'
import { httpGet } from '../http-get.js'
import type { RelayProcess } from '../../e2e/support/relay-process.js'
import type { StressResult } from '../report.js'
import type { CID } from 'multiformats/cid'

const FAULT = 'corrupted block on the relay\'s disk'
/** Bytes of each file of the site (one raw block each: under the importer's chunk size). */
const FILE_BYTES = 100_000
/** How long one answer may take (ms): longer than the relay's own bound on a block it cannot fetch. */
const ANSWER_TIMEOUT_MS = FIRST_BYTE_TIMEOUT_MS + 15_000
/** Statuses that say "no block to serve" (the relay could not fetch it again). */
const UNAVAILABLE_STATUSES = [502, 504]

/** How a file of the site is read back from the relay, and whether its host is still online then. */
interface Read {
  path: string
  via: 'plain HTTP' | 'trustless gateway'
  hostOnline: boolean
}

/** One file per read: every file's one block is altered on disk, and each is read once. */
const READS: Read[] = [
  { path: 'online-page.bin', via: 'plain HTTP', hostOnline: true },
  { path: 'online-raw.bin', via: 'trustless gateway', hostOnline: true },
  { path: 'gone-page.bin', via: 'plain HTTP', hostOnline: false },
  { path: 'gone-raw.bin', via: 'trustless gateway', hostOnline: false }
]

/** One read's outcome. */
interface ReadOutcome extends Read {
  /** HTTP status, or `timeout` when no whole answer came in time. */
  status: number | 'timeout'
  rightBytes: boolean
  /** The answer carried the altered block's bytes. */
  alteredServed: boolean
  ms: number
}

/** Run `work` on a stopped relay's block store, opened through the class the relay uses (LevelDB, `<data dir>/blocks`). */
async function withRelayBlocks<T> (dataDir: string, work: (store: LevelBlockstore) => Promise<T>): Promise<T> {
  const store = new LevelBlockstore(join(dataDir, 'blocks'))
  await store.open()
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

/** The CID of the one block of each file at `paths` under `root`. */
async function fileBlocks (store: LevelBlockstore, root: CID, paths: string[]): Promise<CID[]> {
  return await Promise.all(paths.map(async path => (await exporter(`${root.toString()}/${path}`, store)).cid))
}

/** Flip one byte in the middle of each block in `cids`; returns the altered bytes by CID. */
async function corruptBlocks (store: LevelBlockstore, cids: CID[]): Promise<Map<string, Uint8Array>> {
  const altered = new Map<string, Uint8Array>()
  for (const cid of cids) {
    const bytes = Uint8Array.from(await toBuffer(store.get(cid)))
    bytes[bytes.byteLength >> 1] = bytes[bytes.byteLength >> 1]! ^ 0xff
    await store.put(cid, bytes)
    altered.set(cid.toString(), bytes)
  }
  return altered
}

/** Count the relay's `block.corrupt` log lines (its operator log, JSON on stdout) from now on. */
function countCorruptLogs (relay: RelayProcess): () => string[] {
  const cids: string[] = []
  createInterface({ input: relay.process.stdout! }).on('line', line => {
    if (!line.startsWith('{')) return
    const entry = JSON.parse(line) as { event?: string, cid?: string }
    if (entry.event === 'block.corrupt' && entry.cid != null) cids.push(entry.cid)
  })
  return () => [...cids]
}

/**
 * Fault: blocks a relay keeps change on its disk (issue 14, "corrupted
 * storage"). A host publishes a site of one-block files and the relay keeps
 * it; the relay is stopped, each file's block altered in its LevelDB, and
 * the relay started again on the same data directory. Each file is then read
 * once, over plain HTTP or the trustless gateway, while the host is online
 * (the relay must detect the change, drop the block and fetch it again) and
 * after the host left (the relay must answer an error). Goals: the altered
 * bytes are never served, the right bytes are, every altered block is
 * logged as `block.corrupt`. A relay of its own: stopping it must not touch
 * the other scenarios' relay.
 */
export async function corruptStoreScenario (): Promise<{ results: StressResult[], details: unknown }> {
  const files = new Map(READS.map(read => [read.path, new Uint8Array(randomBytes(FILE_BYTES))]))
  let relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const host = await startNodePeer(relay.relayAddrs[0]!)
  let hostOnline = true
  try {
    const site = await host.publishSite(uniqueLabel('corrupt'), [...files].map(([path, bytes]) => ({ path, size: bytes.byteLength, content: async function * () { yield bytes } })))
    await host.askRelayToKeep(site.name)
    await relay.stop()
    const { blocks, altered } = await withRelayBlocks(relay.dataDir, async store => {
      const blocks = await fileBlocks(store, site.root, READS.map(read => read.path))
      return { blocks, altered: await corruptBlocks(store, blocks) }
    })
    relay = await relay.startAgain()
    const corruptLogged = countCorruptLogs(relay)
    // as a browser host does when its relay comes back: the relay asks its connected peers for a block it lost
    await host.reconnect()
    const read = async (r: Read, cid: CID): Promise<ReadOutcome> => {
      const start = performance.now()
      const answer = r.via === 'plain HTTP'
        ? await httpGet(relay.httpPort, `${site.name}.localhost`, `/${r.path}`, { timeoutMs: ANSWER_TIMEOUT_MS }).catch(() => undefined)
        : await httpGet(relay.httpPort, 'localhost', `/ipfs/${cid.toString()}?format=raw`, { timeoutMs: ANSWER_TIMEOUT_MS }).catch(() => undefined)
      const body = answer?.body ?? Buffer.alloc(0)
      return {
        ...r,
        status: answer?.status ?? 'timeout',
        rightBytes: answer?.status === 200 && body.equals(files.get(r.path)!),
        alteredServed: body.includes(altered.get(cid.toString())!),
        ms: performance.now() - start
      }
    }
    const outcomes: ReadOutcome[] = []
    for (const online of [true, false]) {
      if (!online) {
        await host.stop()
        hostOnline = false
      }
      outcomes.push(...await Promise.all(READS.flatMap((r, i) => r.hostOnline === online ? [read(r, blocks[i]!)] : [])))
    }
    const logged = corruptLogged()
    const alteredServed = outcomes.filter(o => o.alteredServed).length
    const refetched = outcomes.filter(o => o.hostOnline)
    const gone = outcomes.filter(o => !o.hostOnline)
    const describe = (o: ReadOutcome): string => `${o.via} ${o.status}${o.status === 200 ? (o.rightBytes ? ' right bytes' : ' other bytes') : ''} in ${(o.ms / 1000).toFixed(1)} s`
    return {
      results: [
        kept({
          id: 'corrupt-store-served',
          attack: FAULT,
          what: `answers that carried the altered bytes (${outcomes.length} reads of ${blocks.length} altered blocks, plain HTTP and trustless gateway)`,
          measured: `${alteredServed} / ${outcomes.length}`,
          goal: '0',
          values: { alteredServed, reads: outcomes.length }
        }, alteredServed === 0),
        checked({
          id: 'corrupt-store-refetched',
          attack: FAULT,
          what: 'host online: the block fetched again from the host, right bytes served',
          measured: `${refetched.every(o => o.rightBytes) ? 'yes' : 'no'} (${refetched.map(describe).join('; ')})`,
          goal: 'yes',
          values: { rightBytes: refetched.filter(o => o.rightBytes).length, reads: refetched.length }
        }, refetched.every(o => o.rightBytes)),
        checked({
          id: 'corrupt-store-gone',
          attack: FAULT,
          what: 'host gone: the relay answers an error',
          measured: gone.map(describe).join('; '),
          goal: `${UNAVAILABLE_STATUSES.join(' or ')}`,
          values: { errors: gone.filter(o => typeof o.status === 'number' && UNAVAILABLE_STATUSES.includes(o.status)).length, reads: gone.length }
        }, gone.every(o => typeof o.status === 'number' && UNAVAILABLE_STATUSES.includes(o.status))),
        checked({
          id: 'corrupt-store-logged',
          attack: FAULT,
          what: 'altered blocks the relay logged as dropped (`block.corrupt`)',
          measured: `${blocks.filter(cid => logged.includes(cid.toString())).length} / ${blocks.length}`,
          goal: 'all',
          values: { logged: logged.length, blocks: blocks.length }
        }, blocks.every(cid => logged.includes(cid.toString())))
      ],
      details: { site: site.name, blocks: blocks.map(String), outcomes, logged }
    }
  } finally {
    if (hostOnline) await host.stop()
    await relay.stop()
  }
}
