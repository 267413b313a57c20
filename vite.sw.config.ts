import { defineConfig } from 'vite'

/**
 * The site service worker build: one classic script, `dist/_wia/sw.js`,
 * served on every site origin with `Service-Worker-Allowed: /`.
 */
export default defineConfig({
  publicDir: false,
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
