/**
 * axe-core (default rules) finds nothing in the popover's states, light and dark, and the popover fits its
 * 360 px without sideways scrolling. Screenshots of both themes, at 1× and 2×, are saved with the results.
 */
import type { Page, TestInfo } from '@playwright/test';
import { axeViolations, expect, openPopover, serveRenderer, test, viewButton } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(client);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no violations in the ${scheme} popover: speakers, speakers expanded, settings, diagnostics`, async ({
    page,
    problems,
    demo,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPopover(page, demo);
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
      scheme === 'dark',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `popover-${scheme}`);
    await expectNoSidewaysScroll(page);

    for (const card of await page.getByRole('button', { name: '2 speakers' }).all()) await card.click();
    await expect(page.getByRole('slider')).toHaveCount(3 + 4);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `popover-${scheme}-speakers`);

    await viewButton(page, 'Settings').click();
    await expect(page.getByRole('heading', { name: 'Sonos account' })).toBeVisible();
    // The demo's account is set up with the simulator's made-up integration: ready to sign in.
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `settings-${scheme}`);
    await expectNoSidewaysScroll(page);

    await viewButton(page, 'Diagnostics').click();
    await expect(page.getByRole('heading', { name: 'Kitchen' })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `diagnostics-${scheme}`);
    await expectNoSidewaysScroll(page);
    expect(problems).toEqual([]);
  });
}

test('axe finds no violations with a speaker in trouble and an error notice, light and dark', async ({
  page,
  problems,
  demo,
}, testInfo) => {
  await openPopover(page, demo);
  await demo.post('takeOffline', { playerId: (await demo.player('Dining Room')).id });
  const card = page.getByRole('region', { name: 'Dining Room' });
  await expect(card.getByText('Dining Room:')).toBeVisible();
  // A command to the offline speaker fails: the notice area says why.
  await card.getByRole('button', { name: 'Mute Dining Room' }).click();
  await expect(page.getByRole('alert')).toContainText(/speaker|connect/i, { timeout: 15_000 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `trouble-${scheme}`);
  }
  expect(problems).toEqual([]);
});

test('crisp at 2×: the popover at device scale factor 2, light and dark', async ({
  browser,
  demo,
}, testInfo) => {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 360, height: 560 } });
  const page = await context.newPage();
  try {
    await openPopover(page, demo);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const path = testInfo.outputPath(`popover-${scheme}@2x.png`);
      const image = await page.screenshot({ path, animations: 'disabled' });
      await testInfo.attach(`popover-${scheme}@2x`, { path, contentType: 'image/png' });
      // A PNG's width sits in bytes 16–19 of its header: twice the CSS width means real 2× pixels.
      expect(image.readUInt32BE(16)).toBe(720);
    }
  } finally {
    await context.close();
  }
});

test('the axe check does report violations when there are some', async ({ page }) => {
  const server = await serveRenderer();
  try {
    await page.goto(server.url);
    expect(await axeViolations(page)).toEqual([]);
    // A button with no name: the check must fail, or "0 violations" above would prove nothing.
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('button')));
    expect(await axeViolations(page)).toEqual([expect.stringMatching(/^button-name /)]);
  } finally {
    await server.close();
  }
});
