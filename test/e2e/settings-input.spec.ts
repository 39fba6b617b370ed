/**
 * What the user types in Settings, against the real demo: main (through the shared contract, as in the app)
 * refuses a shortcut Electron does not know or one used twice, and an address that cannot be one, saying what is
 * wrong; an address that is right is used (the demo asks it, as the app does); "Search again" shows it works.
 */
import { expect, openPopover, test, viewButton } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

test('shortcuts: Banana and a shortcut used twice are refused with the reason; a good one is saved as Electron spells it', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  await viewButton(page, 'Settings').click();
  const up = page.getByLabel('Volume up shortcut');
  const down = page.getByLabel('Volume down shortcut');

  await up.fill('Banana');
  await up.press('Tab');
  await expect(up).toHaveAttribute('aria-invalid', 'true');
  await expect(up).toHaveAccessibleDescription(
    '“Banana” is not a key. Use keys joined with +, such as Alt+Shift+Up.',
  );
  await expect(up).toHaveValue('Banana');

  await down.fill('alt+shift+up');
  await down.press('Tab');
  await expect(down).toHaveAccessibleDescription(
    'Volume up and Volume down cannot both be Alt+Shift+Up: choose two different shortcuts.',
  );

  await down.fill('ctrl+alt+down');
  await down.press('Tab');
  await expect(down).not.toHaveAttribute('aria-invalid', 'true');
  await expect(down).toHaveValue('Control+Alt+Down');
  expect(problems).toEqual([]);
});

test('addresses: an impossible one says why; a real one is asked, and “Search again” shows its progress', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  await viewButton(page, 'Settings').click();
  const field = page.getByLabel('Add a speaker by IP address');
  for (const [typed, reason] of [
    [
      '192.168.1.300',
      '“192.168.1.300” is not a valid IP address: it needs four numbers from 0 to 255, such as 192.168.1.20.',
    ],
    ['not a host!!', '“not a host!!” is not a valid IP address or host name.'],
  ] as const) {
    await field.fill(typed);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(field).toHaveAccessibleDescription(reason);
  }

  // Kitchen's own address, typed by hand: the demo asks it, as the app would (before, it was ignored).
  const kitchen = demo.sim.players.find((p) => p.name === 'Kitchen')!;
  await field.fill(kitchen.host);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Added ${kitchen.host}.` })).toBeVisible();
  await expect(page.getByText(`Added ${kitchen.host}. Looking for a speaker there…`)).toBeVisible();
  await viewButton(page, 'Diagnostics').click();
  const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Kitchen' }) });
  await expect(entry).toContainText('address you entered', { timeout: 10_000 });

  await page.getByRole('button', { name: 'Search again' }).click();
  await expect(page.getByText('Searching for speakers…')).toBeVisible();
  await expect(page.getByText('Search finished: 5 speakers known.')).toBeVisible({ timeout: 15_000 });
  expect(problems).toEqual([]);
});
