import * as dagPb from '@ipld/dag-pb'
import type { CID } from 'multiformats/cid'

/**
 * Largest site (bytes, as {@link siteSize} counts) fetched whole on a cold
 * visit: the site worker asks for it in one CAR (`dag-scope=all` on its
 * root) once the first page is served, and the relay fetches it from the
 * host as soon as a browser opens the site. A larger site is fetched per
 * request, so a visitor does not download what its pages may never use.
 */
export const WHOLE_SITE_MAX_BYTES = 2 * 1024 * 1024

/**
 * The size of the DAG under a UnixFS directory from its root block alone
 * (bytes): the block plus its links' `Tsize`s (dag-pb spec, `PBLink.Tsize`:
 * the cumulative size of the linked DAG). The site's author wrote those
 * sizes, so a reader that fetches on this estimate still counts the bytes
 * it gets. `undefined` when `root` is not dag-pb, its block does not decode,
 * or a link has no `Tsize`.
 */
export function siteSize (root: CID, block: Uint8Array): number | undefined {
  if (root.code !== dagPb.code) {
    return undefined
  }
  let links
  try {
    links = dagPb.decode(block).Links
  } catch {
    return undefined
  }
  let size = block.byteLength
  for (const link of links) {
    if (link.Tsize == null) {
      return undefined
    }
    size += link.Tsize
  }
  return size
}
