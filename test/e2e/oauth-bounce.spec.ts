import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';

const PAGE = readFileSync(resolve(import.meta.dirname, '../../resources/oauth-bounce/index.html'));

/** Any static host: the page is served as it is, with no headers of ours (its CSP is its own meta tag). */
async function host(): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

test('the bounce page forwards exactly the OAuth parameters to the app, under its own strict CSP', async ({
  page,
  problems,
}) => {
  const server = await host();
  try {
    // The page hands off to the app's scheme at once (the load never completes in a browser without the app).
    await page.goto(`${server.base}/sonos/?code=c0de&state=st4te&scope=playback-control-all&other=1`, {
      waitUntil: 'commit',
    });
    const link = page.getByRole('link', { name: 'Open Tray for Sonos' });
    // The inline script ran — so its CSP hash is right — and kept only code and state.
    await expect(link).toHaveAttribute(
      'href',
      'io.github.trayforsonos://oauth/callback?code=c0de&state=st4te',
    );
    await expect(page.getByText('You can close this tab.')).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});

test('an error answer is forwarded with its description and link', async ({ page }) => {
  const server = await host();
  try {
    await page.goto(
      `${server.base}/sonos/?error=access_denied&error_description=The+user+denied+access&error_uri=https%3A%2F%2Fdocs.example.test%2Fe&state=s1`,
      { waitUntil: 'commit' },
    );
    await expect(page.getByRole('link', { name: 'Open Tray for Sonos' })).toHaveAttribute(
      'href',
      'io.github.trayforsonos://oauth/callback?state=s1&error=access_denied&error_description=The+user+denied+access&error_uri=https%3A%2F%2Fdocs.example.test%2Fe',
    );
    await expect(page.getByRole('status')).toHaveText(
      'Sign-in did not finish. Tray for Sonos will tell you why.',
    );
  } finally {
    await server.close();
  }
});

test('opened without parameters, the page says it is used during sign-in and there is nothing to do', async ({
  page,
  problems,
}) => {
  const server = await host();
  try {
    await page.goto(`${server.base}/sonos/`);
    await expect(page.getByRole('status')).toHaveText(
      'This page is used while signing in to Sonos from Tray for Sonos. There is nothing to do here.',
    );
    await expect(page.getByRole('link', { name: 'Open Tray for Sonos' })).toBeHidden();
    await expect(page.getByText('copy this page’s address')).toBeHidden();
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the page still says what to do: paste its address', async ({ page, problems }) => {
    const server = await host();
    try {
      await page.goto(`${server.base}/sonos/?code=c0de&state=st4te`);
      await expect(
        page.getByText(
          'copy this page’s address from the address bar. In Tray for Sonos, under Settings → Sonos account, paste it',
        ),
      ).toBeVisible();
      await expect(page.getByRole('status')).toHaveText('Sonos sign-in for Tray for Sonos.');
      await expect(page.getByText('You can close this tab.')).toBeVisible();
      await expect(page.getByRole('link', { name: 'Open Tray for Sonos' })).toBeHidden();
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
