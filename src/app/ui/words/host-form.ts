/**
 * The hosting form's words (`wia-host-form.ts`): what it says about the typed
 * name and the progress line of the publish steps that report no amount. The
 * words for errors are in `errors.ts`.
 *
 * @module
 */

import type { NameAvailability, PublishProgressEvents } from '../../host/index.js'

/** What the form says about the typed name: a lookup's answer, or where it stands before one. */
export type NameCheck = NameAvailability | 'empty' | 'invalid' | 'checking' | 'unknown'

/** The words for each {@link NameCheck} (`invalid` says the rule that was broken instead). */
export const NAME_CHECK_TEXT: Record<Exclude<NameCheck, 'empty' | 'invalid'>, string> = {
  checking: 'Checking whether the name is free…',
  free: 'Free: this name is yours once you publish.',
  yours: 'Yours: publishing updates this site.',
  taken: 'Taken: someone else holds this name. Choose another one.',
  unknown: 'Could not check the name now; Publish checks it again.'
}

/** What the progress bar says in the steps that report no amount. */
export const STEP_TEXT: Record<Exclude<PublishProgressEvents['type'], 'publish:import' | 'record:register'>, string> = {
  'publish:check': 'Checking whether the name is free…',
  'record:sign': 'Signing the name record…',
  'record:announce': 'Announcing your site to the network…',
  'record:put': 'Announcing your site to the network…'
}
