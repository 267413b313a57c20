import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { LevelDatastore } from 'datastore-level'
import { createHeliaLight } from 'helia'
import drain from 'it-drain'
import { releaseOrphanedPins } from '../src/cache/index.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { Helia } from '@helia/interface'
import type { CID } from 'multiformats/cid'

/** Blocks of each kept site: a directory of 999 one-block files. */
const SITE_FILES = 999

/**
 * The pin repair a relay runs as it starts (`releaseOrphanedPins`, before
 * its cache starts), on the relay's own kind of datastore (LevelDB,
 * `datastore-level`) holding `blocks` pinned blocks of kept sites, beside a
 * bare scan of the same `/pinned-block/` entries (a query that decodes
 * nothing) in the same run: what the repair adds to every start of a relay
 * with nothing to repair. A pin cut short is then released once, for the
 * notes.
 *
 * @param init - pinned blocks to hold (rounded to whole sites of 1,000), and repetitions
 */
export async function benchPinRepair (init: { blocks: number, reps: number }): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'wia-bench-pins-'))
  const datastore = new LevelDatastore(join(dir, 'datastore'))
  await datastore.open()
  const helia = createHeliaLight({ blockstore: new MemoryBlockstore(), datastore })
  await helia.start()
  try {
    const sites = Math.max(1, Math.round(init.blocks / (SITE_FILES + 1)))
    for (let site = 0; site < sites; site++) {
      await drain(helia.pins.add(await addSite(helia, site)))
    }
    const repair: number[] = []
    const scan: number[] = []
    let entries = 0
    for (let rep = 0; rep < init.reps; rep++) {
      let start = performance.now()
      entries = 0
      for await (const entry of datastore.query({ prefix: '/pinned-block/' })) {
        if (entry.value.byteLength > 0) entries++
      }
      scan.push(performance.now() - start)
      start = performance.now()
      const released = await releaseOrphanedPins(helia)
      repair.push(performance.now() - start)
      if (released !== 0) {
        throw new Error(`the repair released ${released} blocks of kept sites`)
      }
    }

    // one pin cut short, as a relay killed while pinning leaves it
    const cut = await addSite(helia, sites)
    const controller = new AbortController()
    let marked = 0
    await drain((async function * () {
      for await (const cid of helia.pins.add(cut, { signal: controller.signal })) {
        if (++marked === SITE_FILES >> 1) controller.abort()
        yield cid
      }
    })()).catch(() => {})
    const start = performance.now()
    const released = await releaseOrphanedPins(helia)
    const releaseMs = performance.now() - start

    return result({
      id: 'pin-repair-start',
      what: `pin repair at a relay's start, ${entries} pinned blocks (LevelDB), nothing to repair`,
      unit: 'ms',
      measured: summarize(repair),
      baseline: { what: 'a bare scan of the same pinned-block entries', summary: summarize(scan) },
      notes: `A pin cut short after ${marked} of its ${SITE_FILES + 1} blocks: the repair released ${released} blocks in ${releaseMs.toFixed(0)} ms.`
    })
  } finally {
    await helia.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** A directory of {@link SITE_FILES} one-block files, unique to `seed`; returns its root. */
async function addSite (helia: Helia, seed: number): Promise<CID> {
  const fs = unixfs(helia)
  const files = Array.from({ length: SITE_FILES }, (_, i) => ({ path: `site/${i}.txt`, content: new TextEncoder().encode(`file ${i} of site ${seed}`) }))
  let root: CID | undefined
  for await (const entry of fs.addAll(files, { wrapWithDirectory: false })) {
    if (entry.path === 'site') root = entry.cid
  }
  if (root == null) throw new Error('no directory was imported')
  return root
}
