/**
 * The site card's words (`wia-site-card.ts`): its status badge, the progress
 * line of each long action, and the line saying whether the site stays up
 * while this device is off. The words for errors are in `errors.ts`.
 *
 * @module
 */

import type { ReleaseNameProgressEvents, RollbackProgressEvents, UnpublishProgressEvents } from '../../host/index.js'

/** What this device's node does now: serving visitors, asleep until one comes, or not connected. */
export type NodeActivity = 'serving' | 'sleeping' | 'offline'

/** The status badge of a site this device serves, per {@link NodeActivity}. */
export const ACTIVITY_BADGE: Record<NodeActivity, string> = {
  serving: 'Serving',
  sleeping: 'Sleeping',
  offline: 'Offline'
}

/** What the progress line says while rolling back. */
const ROLLBACK_STEP_TEXT: Record<RollbackProgressEvents['type'], string> = {
  'rollback:check': 'Checking who holds the name…',
  'record:register': 'Registering the name…',
  'record:sign': 'Signing the name record…',
  'record:announce': 'Announcing the version to the network…',
  'record:put': 'Announcing the version to the network…'
}

/** What the progress line says while unpublishing. */
const UNPUBLISH_STEP_TEXT: Record<UnpublishProgressEvents['type'], string> = {
  'unpublish:check': 'Checking who holds the name…',
  'unpublish:delete': 'Deleting the site\'s files from this device…',
  'record:register': 'Registering the name…',
  'record:sign': 'Signing the "unpublished" record…',
  'record:announce': 'Telling the network…',
  'record:put': 'Telling the network…'
}

/** What the progress line says while releasing the name (unpublishing first when needed). */
const RELEASE_STEP_TEXT: Record<ReleaseNameProgressEvents['type'], string> = {
  ...UNPUBLISH_STEP_TEXT,
  'release:forget': 'Forgetting the site on this device…'
}

/** A long action of the card under way: the first words of its progress line. */
export type SiteCardWork = 'Rolling back' | 'Unpublishing' | 'Releasing'

/** What each long action's progress line says at each step, and its progress bar's label. */
export const WORK: Record<SiteCardWork, { steps: Record<string, string>, label: string }> = {
  'Rolling back': { steps: ROLLBACK_STEP_TEXT, label: 'Rollback progress' },
  Unpublishing: { steps: UNPUBLISH_STEP_TEXT, label: 'Unpublish progress' },
  Releasing: { steps: RELEASE_STEP_TEXT, label: 'Release progress' }
}

/** Whether the site stays up while this device is off. */
export function copiesText (copies: number | undefined): string {
  if (copies == null) {
    return 'Copying to relays…'
  }
  if (copies === 0) {
    return 'No relay keeps a copy: the site is up while this app is open'
  }
  return `Kept by ${copies} ${copies === 1 ? 'relay' : 'relays'} while this device is off`
}
