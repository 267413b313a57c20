import { httpGet } from './http-get.js'
import type { LegitSite } from './legit-host.js'

/** How long a name lookup over HTTP may take (ms). */
const NAME_LOOKUP_TIMEOUT_MS = 15_000

/** What the relay hands out for a name over HTTP, compared with its owner's current record. */
export type NameState = 'current' | 'changed' | 'missing'

/**
 * Ask the relay for every legit name's record over HTTP
 * (`GET /_wia/name/<name>` on the site's origin, what visitors' workers ask)
 * and compare the bytes with the owner's current record.
 */
export async function checkNames (httpPort: number, sites: LegitSite[]): Promise<Record<string, NameState>> {
  const states: Record<string, NameState> = {}
  for (const site of sites) {
    try {
      const answer = await httpGet(httpPort, `${site.name}.localhost`, `/_wia/name/${site.name}`, { timeoutMs: NAME_LOOKUP_TIMEOUT_MS })
      states[site.name] = answer.status !== 200 ? 'missing' : answer.body.equals(site.current) ? 'current' : 'changed'
    } catch {
      states[site.name] = 'missing'
    }
  }
  return states
}

/** How many names are not at their current record. */
export const namesOff = (states: Record<string, NameState>): number => Object.values(states).filter(s => s !== 'current').length
