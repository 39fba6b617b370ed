import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { popoverCsp } from './main/core/security/csp';

/**
 * Puts the CSP into the built page as a meta tag too. Only in builds: the dev server injects inline styles for
 * hot reload, which the policy rightly forbids. `connect-src 'self'` lets the demo reach its bridge; the app
 * has no server at its origin, and its header says `connect-src 'none'` (both policies apply).
 */
function cspMeta(): Plugin {
  return {
    name: 'tray-for-sonos:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: popoverCsp({ bridge: true, meta: true }) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The popover's build, shared by electron-vite (the app) and `npm run build:renderer` (the demo and the browser
 * tests), so both ship the same bundle.
 */
export const rendererConfig = {
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [
    cspMeta(),
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
