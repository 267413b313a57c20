import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { precompressed } from './vite.precompress.js'

/**
 * The site service worker build: one classic script, `dist/_wia/sw.js`,
 * served on every site origin with `Service-Worker-Allowed: /`.
 */
export default defineConfig({
  publicDir: false,
  plugins: [precompressed()],
  resolve: {
    // the libraries' copy of every block they read, left out (see sw/to-buffer.ts)
    alias: { 'it-to-buffer': fileURLToPath(new URL('sw/to-buffer.ts', import.meta.url)) }
  },
  build: {
    target: 'es2022',
    outDir: 'dist/_wia',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    rollupOptions: {
      treeshake: {
        // blockstore-core's index (which blockstore-idb imports) creates its tiered
        // store's logger at load; nothing in the worker uses it, nor @libp2p/logger
        moduleSideEffects: (id: string) => !id.includes('/blockstore-core/')
      }
    },
    lib: {
      entry: 'sw/index.ts',
      formats: ['iife'],
      name: 'wiaSiteWorker',
      fileName: () => 'sw.js'
    }
  }
})
