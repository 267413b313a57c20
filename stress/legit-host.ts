import { randomBytes } from 'node:crypto'
import { startNodePeer } from '../e2e/support/node-peer.js'
import { uniqueLabel } from '../e2e/support/site.js'
import type { NodePeer } from '../e2e/support/node-peer.js'
import type { SiteFile } from '../src/content/index.js'

/** Bytes of each hosted site's image (one block). */
const IMAGE_BYTES = 100_000

/** A site a legitimate host published twice (`seq` 0, then 1): what visitors must get, and its records. */
export interface LegitSite {
  name: string
  /** The current version's files by path ('' is the index page). */
  files: Map<string, Uint8Array>
  /** The current record (seq 1), as the relay must keep serving it. */
  current: Uint8Array
  /** The first record (seq 0): an attacker replays it. */
  previous: Uint8Array
}

export interface LegitHost {
  sites: LegitSite[]
  stop(): Promise<void>
}

/** The files of a test site: an index page naming `name` and `version`, a style sheet and a {@link IMAGE_BYTES} image (one block). */
export function siteFiles (name: string, version: number): Map<string, Uint8Array> {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text)
  return new Map([
    ['index.html', encode(`<!doctype html><title>${name}</title><link rel="stylesheet" href="style.css"><h1>${name}, version ${version}</h1><img src="image.bin">`)],
    ['style.css', encode(`h1 { color: #${version}${version}0; }\n`)],
    ['image.bin', randomBytes(IMAGE_BYTES)]
  ])
}

/** `files` as the importer takes them. */
export function asSiteFiles (files: Map<string, Uint8Array>): SiteFile[] {
  return [...files].map(([path, bytes]) => ({ path, size: bytes.byteLength, content: async function * () { yield bytes } }))
}

/**
 * A legitimate host (a Node peer built from the app's own pieces, see
 * `e2e/support/node-peer.ts`) registers `count` names on the relay,
 * publishes a first version of each, then a second (so an old record
 * exists to replay), and asks the relay to keep each site: visitors are
 * served from the relay's cache whether or not the host is online.
 */
export async function hostLegitSites (relayAddr: string, count: number): Promise<LegitHost> {
  return await hostSites(relayAddr, count, async peer => {
    const first = await peer.publishSite(uniqueLabel('legit'), asSiteFiles(siteFiles('first', 1)))
    const files = siteFiles(first.name, 2)
    const second = await peer.updateSite(first.name, asSiteFiles(files))
    await peer.askRelayToKeep(first.name)
    return { name: first.name, files, current: second.record, previous: first.record }
  })
}

/**
 * A legitimate host that publishes `count` sites (one version each, fresh
 * bytes) and asks no relay to keep them: the relay has none of their
 * blocks, and fetches each from this host when a visitor asks. Each is
 * meant to be visited once (the relay keeps a site after `--hot-visits`
 * visits, and holds a block it fetched for a visitor until its next
 * garbage collection).
 */
export async function hostSitesNotKept (relayAddr: string, count: number): Promise<LegitHost> {
  return await hostSites(relayAddr, count, async peer => {
    const label = uniqueLabel('hostonly')
    const files = siteFiles(`${label}.wia.home`, 1)
    const site = await peer.publishSite(label, asSiteFiles(files))
    return { name: site.name, files, current: site.record, previous: site.record }
  })
}

/** A new Node peer on the relay at `relayAddr` that publishes `count` sites, each by `publish`; stopped if one fails. */
async function hostSites (relayAddr: string, count: number, publish: (peer: NodePeer) => Promise<LegitSite>): Promise<LegitHost> {
  const peer: NodePeer = await startNodePeer(relayAddr)
  const sites: LegitSite[] = []
  try {
    for (let i = 0; i < count; i++) {
      sites.push(await publish(peer))
    }
  } catch (err) {
    await peer.stop()
    throw err
  }
  return { sites, stop: async () => { await peer.stop() } }
}
