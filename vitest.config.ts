import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{src,sw,relay,stress}/**/*.test.ts'],
    setupFiles: ['./relay/polyfills.ts'],
    testTimeout: 30_000
  }
})
