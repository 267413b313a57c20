import { constants } from 'node:zlib'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'
import type { Plugin } from 'vite'

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
      defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      defineAlgorithm('gzip', { level: 9 })
    ]
  })
}
