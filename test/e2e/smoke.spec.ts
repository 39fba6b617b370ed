import { expect, serveRenderer, test } from './fixtures';

test('the built popover loads in Chromium under the strict CSP', async ({ page, problems }) => {
  const server = await serveRenderer();
  try {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.getByRole('heading', { name: 'Tray for Sonos' })).toBeVisible();
    // Served without the preload or a bridge, the popover says so instead of failing.
    await expect(page.getByRole('status')).toContainText('Not connected to Tray for Sonos.');
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});
