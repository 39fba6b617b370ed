import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        output: {
          // Electronegativity reads suppressions from source comments, which bundling strips; this first line
          // keeps two reviewed "review this API" findings quiet in the main bundle (see DEVELOPERS.md):
          // the OAuth callback scheme (main/shell/deep-links.ts — every callback is checked against a pending
          // sign-in's state first) and opening the browser (main/shell/external-links.ts — https only).
          banner: '/* eng-disable PROTOCOL_HANDLER_JS_CHECK OPEN_EXTERNAL_JS_CHECK */',
        },
        input: {
          index: resolve(import.meta.dirname, 'main/index.ts'),
          cli: resolve(import.meta.dirname, 'main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ES modules; bundle everything into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
