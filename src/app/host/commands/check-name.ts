import { formatName } from '../../../naming/index.js'
import { lookUpName } from './utils/record.js'
import type { Tld } from '../../../naming/index.js'
import type { HostComponents } from '../components.js'
import type { AbortOptions } from '@libp2p/interface'

export interface CheckNameInit {
  /** The name's label, e.g. `alice` for `alice.wia.home`. */
  label: string
  tld: Tld
}

export type CheckNameOptions = AbortOptions

/**
 * Where a name stands for this device: nobody holds it (`free`), this owner
 * key does or another key transferred it here (`yours`: publishing updates
 * it), or another key holds it (`taken`: publishing would fail).
 */
export type NameAvailability = 'free' | 'yours' | 'taken'

/**
 * The `publish` command's first step alone: one DHT lookup of the name,
 * without importing or signing anything, for the hosting form to say as the
 * person types whether a name is free. Cancel a lookup that is no longer
 * wanted (the person typed on) with `signal`.
 *
 * @throws {InvalidNameError} for a label that breaks the name rules
 */
export async function checkName (components: HostComponents, init: CheckNameInit, options: CheckNameOptions = {}): Promise<NameAvailability> {
  const name = formatName(init.label, init.tld)
  const registration = await lookUpName(components, name, options)
  if (registration.kind === 'free') {
    return 'free'
  }
  if (registration.kind === 'ours' || await components.store.getTransfer(name) != null) {
    return 'yours'
  }
  return 'taken'
}
