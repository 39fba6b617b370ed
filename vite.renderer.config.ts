import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

/**
 * The popover's build, shared by electron-vite (the app) and `npm run build:renderer` (the demo and the browser
 * tests), so both ship the same bundle.
 */
export const rendererConfig = {
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [
    svelte({
      configFile: resolve(import.meta.dirname, 'svelte.config.js'),
      compilerOptions: { css: 'external' },
    }),
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome140',
    minify: true,
    // Inline nothing: the CSP allows scripts, styles and images only from our own origin (and album art).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
  },
} satisfies UserConfig;

export default rendererConfig;
