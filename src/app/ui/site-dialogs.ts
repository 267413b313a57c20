/**
 * The confirmations of a site card's lasting actions, **Unpublish** and
 * **Release name**: what each does, in plain words, before it is done. Each is
 * a `<dialog>` whose form closes it with `returnValue` the button's value;
 * the card (`wia-site-card`) styles them and acts on the close.
 *
 * @module
 */

import { html } from 'lit'
import { EXPIRY_GRACE_MS, decodeNameRecord } from '../../naming/index.js'
import type { HostedSite } from '../host/index.js'

/** The `returnValue` of the Unpublish dialog when confirmed. */
export const UNPUBLISH_CONFIRMED = 'unpublish'
/** The `returnValue` of the Release name dialog when confirmed. */
export const RELEASE_CONFIRMED = 'release'

/** When `site`'s record expires and when its name is free for anyone (ms since epoch). */
export function nameDates (site: Pick<HostedSite, 'record'>): { expires: number, freeAt: number } {
  const { expires } = decodeNameRecord(site.record)
  return { expires, freeAt: expires + EXPIRY_GRACE_MS }
}

/** A date as people read it here (`1/8/2027`, by the browser's locale). */
export function dayText (ms: number): string {
  return new Date(ms).toLocaleDateString()
}

const RECALL_TEXT = 'Copies others already saved (visitors, peers, anyone who kept the files or their addresses) cannot be recalled: relays drop theirs, but content on IPFS is shared by its content address.'

/** The confirmation of **Unpublish**, with **Also delete this site's files from this device** (`delete-files`). */
export function unpublishDialog (site: HostedSite, onClose: (event: Event) => void): unknown {
  const id = `unpublish-${site.name}`
  return html`
    <dialog id="unpublish-dialog" aria-labelledby=${id} @close=${onClose}>
      <form method="dialog">
        <h4 id=${id}>Unpublish ${site.name}?</h4>
        <p>Visitors will see a page saying the site was unpublished, instead of your site.</p>
        <p>The name stays yours: its record is valid until ${dayText(nameDates(site).expires)}, and this app keeps renewing it. Publish a folder under it again whenever you like.</p>
        <p>${RECALL_TEXT}</p>
        <label><input type="checkbox" name="delete-files"> Also delete this site's files from this device</label>
        <div class="actions">
          <button type="submit" value=${UNPUBLISH_CONFIRMED}>Unpublish</button>
          <button type="submit" value="cancel" autofocus>Cancel</button>
        </div>
      </form>
    </dialog>`
}

/**
 * The confirmation of **Release name** (an unpublished site): this device
 * stops renewing the name, when it becomes anyone's, until when it can be
 * published again, what becomes of copies others keep.
 */
export function releaseDialog (site: HostedSite, onClose: (event: Event) => void): unknown {
  const id = `release-${site.name}`
  const { expires, freeAt } = nameDates(site)
  return html`
    <dialog id="release-dialog" aria-labelledby=${id} @close=${onClose}>
      <form method="dialog">
        <h4 id=${id}>Release ${site.name}?</h4>
        <p>This device stops renewing the name and forgets the site: its card goes away and its files are deleted from this device. Visitors keep seeing that the site was unpublished.</p>
        <p>The name stays registered to your key until ${dayText(freeAt)}. After that, anyone may register it.</p>
        <p>Until ${dayText(expires)} you can still publish a folder under it again from this device, with the same key: use Host and type the same name.</p>
        <p>${RECALL_TEXT}</p>
        <div class="actions">
          <button type="submit" value=${RELEASE_CONFIRMED}>Release name</button>
          <button type="submit" value="cancel" autofocus>Cancel</button>
        </div>
      </form>
    </dialog>`
}
