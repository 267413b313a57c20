import { TEST_POW_BITS, startRelay } from './support/relay-process.js'

/**
 * One real relay process (libp2p relay + DHT server + app server) for the
 * whole e2e run, on free ports. Tests read its addresses from the environment.
 */
export default async function globalSetup (): Promise<() => Promise<void>> {
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  process.env.WIA_APP_URL = relay.appUrl
  process.env.WIA_HTTP_PORT = String(relay.httpPort)
  process.env.WIA_RELAY_ADDRS = relay.relayAddrs.join(',')
  return async () => { await relay.stop() }
}
