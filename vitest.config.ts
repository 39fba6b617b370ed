import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  resolve: {
    // The real `electron` package downloads a binary on first require; tests always get the fake.
    alias: { electron: resolve(import.meta.dirname, 'test/fakes/electron.ts') },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // electron-store is ESM-only and imports electron itself: inline it so the alias reaches it.
    server: { deps: { inline: ['electron-store'] } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/tmp', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  },
});
