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
    lib: {
      entry: 'sw/index.ts',
      formats: ['iife'],
      name: 'wiaSiteWorker',
      fileName: () => 'sw.js'
    }
  }
})
