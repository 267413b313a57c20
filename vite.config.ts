import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { precompressed, precompressedAfterClose } from './vite.precompress.js'

/**
 * The app (page) build, plus the app-shell service worker (`dist/app-shell.js`,
 * precache list injected by vite-plugin-pwa). The site service worker is a
 * separate build (`vite.sw.config.ts`) because it must be one classic script.
 */
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'app-shell.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,webmanifest,svg,png}'],
        globIgnores: ['_wia/**'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024
      }
    }),
    precompressed(),
    precompressedAfterClose(['app-shell.js'])
  ]
})
