import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createStaticHandler } from '../../main/bridge/static-files';
import { popoverCsp } from '../../main/core/security/csp';
import { startDemo, type Demo } from './demo';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

/** The household `npm run demo` starts by default: 5 speakers in the groups "1+2,3+4,5", music playing. */
export const DEFAULT_SIM_ARGS = '--players 5 --groups 1+2,3+4,5';

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

declare global {
  interface Window {
    /** Requests the popover sent over the bridge, recorded by `recordBridgeRequests`. */
    __sent?: { channel: string; payload: unknown }[];
  }
}

/**
 * Records every request the popover sends over the bridge's websocket (a test-only hook on `WebSocket.send`), so
 * a test can see what was invoked, such as `popover:hide`, which has no visible effect in a browser.
 */
export async function recordBridgeRequests(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const sent: { channel: string; payload: unknown }[] = [];
    window.__sent = sent;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      try {
        const message = JSON.parse(String(data)) as { type?: string; channel?: string; payload?: unknown };
        if (message.type === 'invoke' && message.channel)
          sent.push({ channel: message.channel, payload: message.payload });
      } catch {
        // Not ours to judge: pass it on unchanged.
      }
      return send.call(this, data);
    };
  });
}

export async function sentRequests(page: Page, channel: string): Promise<unknown[]> {
  const sent = await page.evaluate(() => window.__sent ?? []);
  return sent.filter((s) => s.channel === channel).map((s) => s.payload);
}

/** axe-core with its default rules on the whole page; returns the violations, readable in a failure message. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** A button of the view switcher in the header. */
export function viewButton(page: Page, name: 'Speakers' | 'Settings' | 'Diagnostics') {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
}

/** Opens the demo's popover and waits until the three groups are drawn with their volumes. */
export async function openPopover(page: Page, demo: Demo): Promise<void> {
  await page.goto(demo.url);
  await expect(page.getByRole('region')).toHaveCount(3, { timeout: 15_000 });
  for (const slider of await page.getByRole('region').getByRole('slider').all()) {
    await expect(slider).toBeEnabled({ timeout: 10_000 });
  }
}

/**
 * `problems`: a page that fails the test on any console error or warning or uncaught exception (CSP violations
 * show up this way). `demo`: a fresh `npm run demo` per test, with `simArgs` passed to the simulator.
 */
export const test = base.extend<{ problems: string[]; simArgs: string; demo: Demo }>({
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
  simArgs: [DEFAULT_SIM_ARGS, { option: true }],
  demo: async ({ simArgs, page }, use) => {
    const demo = await startDemo(simArgs);
    try {
      await use(demo);
    } finally {
      // Leave the popover first: stopping the demo under it would make its bridge client retry and log
      // connection errors before `problems` gets to look.
      await page.goto('about:blank');
      await demo.stop();
    }
  },
});

export { expect };
