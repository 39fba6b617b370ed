import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin, UserConfig } from 'vite';
import { popoverCsp } from './main/core/security/csp.ts';

/**
 * The popover's size budget: after a build, the gzip size of every JS and CSS file the renderer ships is added up,
 * printed ("renderer JS+CSS: 31.2 KB gzip (budget 50 KB)"), and the build fails above the budget. The popover
 * opens on every tray click; its code must stay small enough to parse in a blink.
 */
export const RENDERER_BUDGET_BYTES = 50 * 1024;

const SHIPPED = /\.(?:js|css)$/;

export function gzipBytes(content: string | Uint8Array): number {
  return gzipSync(content).length;
}

export function budgetLine(bytes: number, budget = RENDERER_BUDGET_BYTES): string {
  return `renderer JS+CSS: ${(bytes / 1024).toFixed(1)} KB gzip (budget ${budget / 1024} KB)`;
}

/** The gzip sum of the JS and CSS files in a built renderer's `assets/` folder. */
export function builtRendererBytes(assetsDir: string): { bytes: number; files: string[] } {
  const files = readdirSync(assetsDir).filter((name) => SHIPPED.test(name));
  const bytes = files.reduce((sum, name) => sum + gzipBytes(readFileSync(join(assetsDir, name))), 0);
  return { bytes, files };
}

type BundleFile =
  | { type: 'chunk'; fileName: string; code: string }
  | { type: 'asset'; fileName: string; source: string | Uint8Array };

/** Measures the bundle as written; `report` defaults to Vite's logger. */
export function bundleBudget(options: { budget?: number; report?: (line: string) => void } = {}): Plugin {
  const budget = options.budget ?? RENDERER_BUDGET_BYTES;
  let report = options.report ?? ((line: string) => console.log(line));
  return {
    name: 'tray-for-sonos:bundle-budget',
    apply: 'build',
    configResolved(config) {
      if (!options.report) report = (line) => config.logger.info(line);
    },
    writeBundle(_output, bundle) {
      let bytes = 0;
      for (const file of Object.values(bundle) as BundleFile[]) {
        if (!SHIPPED.test(file.fileName)) continue;
        bytes += gzipBytes(file.type === 'chunk' ? file.code : file.source);
      }
      const line = budgetLine(bytes, budget);
      report(line);
      if (bytes > budget) this.error(`${line}: over budget`);
    },
  };
}

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
    bundleBudget(),
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
