import { startStaticServer } from './static-server.js'

/**
 * `node --import tsx bench/static-server-process.ts <folder>`: the static
 * baseline server (`static-server.ts`) in a process of its own, as a relay
 * is, so a load generator in the bench process loads both alike. Prints
 * `static: <url>` once it listens; runs until killed.
 */
const folder = process.argv[2]
if (folder == null) {
  throw new Error('usage: static-server-process.ts <folder>')
}
const { url } = await startStaticServer(folder)
console.log(`static: ${url}`)
