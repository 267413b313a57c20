/**
 * The attacker: a process of its own (the relay under test and the stress
 * harness are others) that runs one attack and prints `result <JSON report>`
 * on stdout. Started by `stress/attack.ts`.
 *
 * Usage: `node --import tsx stress/attacker/main.ts <attack> <JSON init>`,
 * `<attack>` one of `dht-abuse`, `connection-flood`, `half-open`, `reservation-exhaustion`, `slowloris`, `cache-keep`, `cache-wants`.
 */
import '../../relay/polyfills.js'
import { cacheKeep, cacheWants } from './cache-abuse.js'
import { connectionFlood } from './connection-flood.js'
import { dhtAbuse } from './dht-abuse.js'
import { halfOpen } from './half-open.js'
import { reservationExhaustion } from './reservations.js'
import { slowloris } from './slowloris.js'

const ATTACKS = {
  'dht-abuse': dhtAbuse,
  'connection-flood': connectionFlood,
  'half-open': halfOpen,
  'reservation-exhaustion': reservationExhaustion,
  slowloris,
  'cache-keep': cacheKeep,
  'cache-wants': cacheWants
} as const

const [name, initJson] = process.argv.slice(2)
const attack = ATTACKS[name as keyof typeof ATTACKS]
if (attack == null || initJson == null) {
  throw new Error(`usage: main.ts <${Object.keys(ATTACKS).join('|')}> <JSON init>`)
}
console.log('started')
const report = await attack(JSON.parse(initJson))
console.log(`result ${JSON.stringify(report)}`)
// libp2p's and the sockets' timers must not keep the attacker alive
process.exit(0)
