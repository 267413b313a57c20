import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'
import type { Plugin } from 'vite'

/** Brotli at its best quality: written once per build, read by every client. */
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }
/** Gzip at its best level, for clients without brotli. */
const GZIP_OPTIONS = { level: 9 }
const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

/**
 * Brotli (quality 11) and gzip (level 9) copies of every text file a build
 * writes, beside it (`sw.js.br`, `sw.js.gz`), for the relay to send to
 * clients that accept them (sirv's `brotli` and `gzip` options,
 * `relay/http.ts`) instead of compressing each answer as it goes: the site
 * worker's script (180 KB) cost an idle relay 6-13 ms per request gzipped on
 * the fly against 2.3-3.4 ms for its brotli copy (49 KB), and every cold
 * visit asks for it (`docs/http.md` §Compression).
 * Source maps (`.map`, not in `include`) are left as they are: developers'
 * tools fetch them, rarely.
 */
export function precompressed (): Plugin {
  return compression({
    include: /\.(js|mjs|css|html|json|svg|webmanifest|txt)$/,
    threshold: 1024,
    skipIfLargerOrEqual: true,
    logLevel: 'silent',
    algorithms: [
      defineAlgorithm('brotliCompress', BROTLI_OPTIONS),
      defineAlgorithm('gzip', GZIP_OPTIONS)
    ]
  })
}

/**
 * The same brotli and gzip copies for files another plugin writes once the
 * bundle is closed, which {@link precompressed} never sees: the app-shell
 * service worker (`app-shell.js`), which vite-plugin-pwa builds with its
 * precache list injected in its own `closeBundle`. Listed after that plugin,
 * this one's `closeBundle` runs after it (both sequential).
 *
 * @param files - paths under the build's `outDir`
 */
export function precompressedAfterClose (files: readonly string[]): Plugin {
  let outDir = 'dist'
  return {
    name: 'wia:precompressed-after-close',
    apply: 'build',
    configResolved (config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler () {
        await Promise.all(files.map(async file => {
          const path = join(outDir, file)
          const bytes = await readFile(path)
          await Promise.all([
            brotli(bytes, BROTLI_OPTIONS).then(async compressed => { await writeFile(`${path}.br`, compressed) }),
            gzipped(bytes, GZIP_OPTIONS).then(async compressed => { await writeFile(`${path}.gz`, compressed) })
          ])
        }))
      }
    }
  }
}
