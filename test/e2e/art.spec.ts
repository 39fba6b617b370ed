/**
 * Album art in the real demo: the simulated players serve it themselves, over http from a second port (like a
 * real player's :1400) and over https with their own certificate, and main hands the popover local paths. The
 * popover's CSP allows nothing else (no `https:` in `img-src`), so every card showing a picture proves the path.
 */
import { expect, openPopover, test } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

test('every card shows its art, loaded from main under /art/, under a CSP that allows only that', async ({
  page,
  problems,
  demo,
}) => {
  const loaded: string[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'image') loaded.push(new URL(request.url()).pathname);
  });
  const response = await page.goto(demo.url);
  const csp = response!.headers()['content-security-policy']!;
  expect(csp).toMatch(/img-src 'self' data:;/);
  expect(csp).not.toContain('https:');
  await openPopover(page, demo);
  // Playlists (art over http from the coordinator) and the radio station (its logo over https).
  const sources = (await demo.state()).groups.map((g) => g.source);
  expect(sources).toContain('radio');
  expect(sources).toContain('playlist');
  for (const card of await page.getByRole('region').all()) {
    const art = card.locator('img');
    await expect(art).toHaveAttribute('src', /^\/art\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => art.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  }
  expect(loaded.length).toBeGreaterThanOrEqual(3);
  expect(loaded.every((path) => path.startsWith('/art/'))).toBe(true);
  expect(problems).toEqual([]);
});
