import { test as base, expect, type ConsoleMessage } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createStaticHandler } from '../../main/bridge/static-files';
import { popoverCsp } from '../../main/core/security/csp';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

/** Serves the built popover (without a bridge) on 127.0.0.1 with the real CSP. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createStaticHandler(RENDERER_DIR, popoverCsp({ bridge: false }));
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A page that fails the test on any console error or uncaught exception (CSP violations show up this way). */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await use(problems);
    expect(problems, 'console errors or warnings').toEqual([]);
  },
});

export { expect };
