/**
 * Sign-in for real, in the real popover: the demo's account against the simulated Sonos cloud. The "browser" is
 * a loopback fetch through the simulator's consent page (Allow or Deny); the address it ends on is pasted into
 * the popover, as a user does when the custom scheme cannot reach the app.
 */
import type { Page } from '@playwright/test';
import { browse } from '../support/account-harness';
import type { Demo } from './demo';
import { axeViolations, expect, openPopover, test, viewButton } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

async function startSignIn(page: Page, demo: Demo): Promise<string> {
  await openPopover(page, demo);
  await viewButton(page, 'Settings').click();
  const before = demo.stderr.length;
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The demo cannot open a system browser; it prints the sign-in address instead.
  await expect
    .poll(() => demo.stderr.slice(before).find((l) => l.includes('Sonos sign-in (simulated): open')))
    .toBeTruthy();
  const line = demo.stderr.slice(before).find((l) => l.includes('Sonos sign-in (simulated): open'))!;
  return line.slice(line.indexOf('open ') + 'open '.length).trim();
}

async function paste(page: Page, address: string): Promise<void> {
  await page.getByLabel('If the browser did not come back here, paste the address it ended on').fill(address);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('signs in by pasting the address the browser ended on, then signs out', async ({
  page,
  problems,
  demo,
}) => {
  const authorizeUrl = await startSignIn(page, demo);
  const landed = await browse(authorizeUrl, 'allow');
  expect(landed).toMatch(/^https:\/\/bounce\.example\.test\/sonos\/\?code=/);
  await paste(page, landed);
  await expect(page.getByText(/^Signed in/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test('Deny on the Sonos page: "Access was denied" with Details, and Sign in starts again', async ({
  page,
  problems,
  demo,
}) => {
  const authorizeUrl = await startSignIn(page, demo);
  await paste(page, await browse(authorizeUrl, 'deny'));
  await expect(
    page.getByText(
      'Access was denied on the Sonos sign-in page, so Tray for Sonos is not signed in. Sign in again to allow it.',
    ),
  ).toBeVisible();
  // One way on, not two buttons for the same thing.
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await page.getByText('Details').click();
  await expect(page.getByText('access_denied')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  const before = demo.stderr.length;
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect
    .poll(() => demo.stderr.slice(before).some((l) => l.includes('Sonos sign-in (simulated): open')))
    .toBe(true);
  expect(problems).toEqual([]);
});

test('an address from someone else’s sign-in is refused and changes nothing', async ({
  page,
  problems,
  demo,
}) => {
  await startSignIn(page, demo);
  await paste(page, 'https://bounce.example.test/sonos/?code=made-up-code&state=not-ours');
  await expect(page.getByRole('region', { name: 'Sonos account' }).getByRole('alert')).toContainText(
    'This address does not belong to the sign-in in progress.',
  );
  await expect(page.getByText(/^Signed in/)).toHaveCount(0);
  expect(problems).toEqual([]);
});
