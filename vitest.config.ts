import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{src,sw,relay,stress}/**/*.test.ts'],
    setupFiles: ['./relay/polyfills.ts'],
    testTimeout: 30_000,
    // One module graph per worker thread instead of one per test file: the
    // 98 files spent most of their time importing libp2p and Helia again
    // (1,038 tests: 136 s with isolated forks, 42-48 s so, 2026-12-02). No
    // test relies on a fresh module: each builds its own stores, nodes and
    // fake timers, and restores what it changes.
    pool: 'threads',
    isolate: false
  }
})
