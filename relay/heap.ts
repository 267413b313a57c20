/**
 * Bound on the relay's V8 old generation (MiB), passed as
 * `--max-old-space-size` by `npm start`, `npm run relay` and the tests'
 * relay launcher. V8 sizes its heap from the machine's memory (about 4 GiB on
 * the 24 GiB test machine) and lets garbage pile up to it: under the stress
 * run's DHT query flood (about 1,300 answered a second) the relay's RSS rose
 * to 786 MiB, most of it garbage (the heap fell from 369 to 203 MiB at one
 * collection). Bounded at 320 MiB, the same flood peaked at 423 MiB RSS and
 * legit visits took as long (p50 278 vs 265 ms, the flood saturating the
 * cores either way). Raise it on a relay with memory to spare and more
 * sites or peers than the stress run (README "Run a public relay").
 */
export const RELAY_MAX_OLD_SPACE_MIB = 320

/** Node's command-line options for a relay process (before the script). */
export function relayNodeOptions (): string[] {
  return [`--max-old-space-size=${RELAY_MAX_OLD_SPACE_MIB}`]
}
