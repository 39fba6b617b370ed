/**
 * The demo's bridge refuses websocket connections without the token, with a wrong token, or from a page of
 * another origin, seen from a real browser (which sets Origin itself, as an attacking page could not avoid).
 */
import type { Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

/** Tries a websocket from the page: 'open' or 'refused'. */
function attempt(page: Page, url: string): Promise<'open' | 'refused'> {
  return page.evaluate(
    (target) =>
      new Promise<'open' | 'refused'>((resolve) => {
        const socket = new WebSocket(target);
        socket.onopen = () => {
          socket.close();
          resolve('open');
        };
        socket.onerror = () => resolve('refused');
      }),
    url,
  );
}

test.use({ simArgs: '--players 1 --fast' });

test('the bridge refuses a connection without the token, with a wrong one, or from a foreign origin', async ({
  page,
  demo,
}) => {
  const { host, searchParams } = new URL(demo.url);
  const token = searchParams.get('token')!;
  const bridge = `ws://${host}/bridge`;

  await page.goto(`http://${host}/`);
  // Without the token in its address the popover does not even try, and says so.
  await expect(page.getByRole('status')).toContainText('Not connected to Tray for Sonos.');
  await expect(page.getByRole('status')).toContainText('open the whole address npm run demo printed');
  // From the demo's own origin: only the right token opens.
  expect(await attempt(page, `${bridge}?token=${token}`)).toBe('open');
  expect(await attempt(page, bridge)).toBe('refused');
  expect(await attempt(page, `${bridge}?token=${token.slice(0, -1)}x`)).toBe('refused');
  expect(await attempt(page, `${bridge}?token=`)).toBe('refused');

  // Another page on this machine (another port is another origin) that learned the token is refused too.
  const other = createServer((_req, res) => res.end('<!doctype html><title>other</title>'));
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  try {
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    expect(await attempt(page, `${bridge}?token=${token}`)).toBe('refused');
  } finally {
    await new Promise((done) => other.close(done));
  }

  // The demo logged why each was refused (its stderr arrives on its own schedule, hence the polling).
  const refusals = (reason: string) => () =>
    demo.stderr.filter((line) => line.includes('bridge refused a connection') && line.includes(reason))
      .length;
  await expect.poll(refusals('bad token')).toBe(3);
  await expect.poll(refusals('foreign origin')).toBe(1);
});
