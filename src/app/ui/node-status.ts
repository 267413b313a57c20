import type { Host } from '../host/index.js'
import type { NodeActivity } from './words/site-card.js'

/** What the header and the site cards read of the hosting node: `null` until it has started. */
export type NodeState = Pick<Host, 'reachable' | 'activity'> | null

/**
 * The header's words for the hosting node's state (read by screen readers as
 * it changes: the element is `aria-live`).
 *
 * @param startError - the words of the node's start error, `''` when there was none
 */
export function nodeStatusText (node: NodeState, startError: string): string {
  if (startError !== '') {
    return 'Offline'
  }
  if (node == null) {
    return 'Connecting…'
  }
  if (!node.reachable) {
    return 'Connecting to a relay: visitors cannot reach this device until one answers'
  }
  return node.activity === 'serving' ? 'Online, serving' : 'Online, sleeping until a visitor arrives'
}

/** What a site card says of the node serving it: offline unless the node is up and a relay can reach it. */
export function nodeActivity (node: NodeState, startError: string): NodeActivity {
  if (node == null || startError !== '' || !node.reachable) {
    return 'offline'
  }
  return node.activity
}
