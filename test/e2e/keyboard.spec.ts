/**
 * The whole popover by keyboard alone, against the demo: Tab reaches every control in reading order with a
 * visible focus ring, each control works from the keyboard, and Escape asks main to hide the popover.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openPopover, recordBridgeRequests, sentRequests, test } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

/** Tab once and expect `target` focused, with a focus ring someone can see. */
async function tabTo(page: Page, target: Locator, key = 'Tab'): Promise<void> {
  await page.keyboard.press(key);
  await expect(target).toBeFocused();
  const ring = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(ring.style, 'focus ring').not.toBe('none');
  expect(ring.width, 'focus ring width').toBeGreaterThanOrEqual(2);
}

test('every control on the speakers view is reached with Tab, in order, and works from the keyboard', async ({
  page,
  problems,
  demo,
}) => {
  await recordBridgeRequests(page);
  await openPopover(page, demo);
  const nav = page.getByRole('navigation', { name: 'Views' });
  for (const name of ['Speakers', 'Settings', 'Diagnostics']) {
    await tabTo(page, nav.getByRole('button', { name, exact: true }));
  }

  const bedroom = page.getByRole('region', { name: 'Bedroom + 1' });
  const button = (name: string) => bedroom.getByRole('button', { name, exact: true });
  await tabTo(page, button('Previous track'));
  await tabTo(page, button('Pause Bedroom + 1'));
  // Space pauses; the card stays put under the focus (the order is frozen while focus is in the list).
  await page.keyboard.press('Space');
  await expect(button('Play Bedroom + 1')).toBeFocused();
  await expect.poll(async () => (await demo.groupOf('Bedroom')).playbackState).toBe('PLAYBACK_STATE_PAUSED');
  await page.keyboard.press('Enter');
  await expect(button('Pause Bedroom + 1')).toBeFocused();
  await expect.poll(async () => (await demo.groupOf('Bedroom')).playbackState).toBe('PLAYBACK_STATE_PLAYING');

  await tabTo(page, button('Next track'));
  const track = (await demo.groupOf('Bedroom')).track!.name;
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await demo.groupOf('Bedroom')).track!.name).not.toBe(track);

  await tabTo(page, button('2 speakers'));
  await page.keyboard.press('Enter');
  await expect(button('2 speakers')).toHaveAttribute('aria-expanded', 'true');

  await tabTo(page, button('Mute Bedroom + 1'));
  await page.keyboard.press('Space');
  await expect(button('Unmute Bedroom + 1')).toBeFocused();
  await expect.poll(async () => (await demo.groupOf('Bedroom')).muted).toBe(true);
  await page.keyboard.press('Space');
  await expect.poll(async () => (await demo.groupOf('Bedroom')).muted).toBe(false);

  const groupSlider = bedroom.getByRole('slider', { name: 'Bedroom + 1 volume', exact: true });
  await tabTo(page, groupSlider);
  const groupVolume = Number(await groupSlider.inputValue());
  const up = groupVolume <= 85;
  await page.keyboard.press(up ? 'PageUp' : 'PageDown');
  await expect.poll(async () => (await demo.groupOf('Bedroom')).volume).toBe(groupVolume + (up ? 10 : -10));

  for (const speaker of ['Bedroom', 'Office']) {
    await tabTo(page, button(`Mute ${speaker}`));
    const slider = bedroom.getByRole('slider', { name: `${speaker} volume`, exact: true });
    await tabTo(page, slider);
    const before = Number(await slider.inputValue());
    await page.keyboard.press(before < 100 ? 'ArrowUp' : 'ArrowDown');
    await expect.poll(async () => (await demo.player(speaker)).volume).toBe(before + (before < 100 ? 1 : -1));
  }

  const radio = page.getByRole('region', { name: 'Dining Room' });
  // Disabled-by-source buttons stay focusable, so their reason can be read.
  await tabTo(page, radio.getByRole('button', { name: 'Previous track', exact: true }));
  await tabTo(page, radio.getByRole('button', { name: 'Pause Dining Room', exact: true }));
  await tabTo(page, radio.getByRole('button', { name: 'Next track', exact: true }));
  await tabTo(page, radio.getByRole('button', { name: 'Mute Dining Room', exact: true }));
  await tabTo(page, radio.getByRole('slider', { name: 'Dining Room volume', exact: true }));

  const living = page.getByRole('region', { name: 'Living Room + 1' });
  for (const name of [
    'Previous track',
    'Pause Living Room + 1',
    'Next track',
    '2 speakers',
    'Mute Living Room + 1',
  ]) {
    await tabTo(page, living.getByRole('button', { name, exact: true }));
  }
  await tabTo(page, living.getByRole('slider', { name: 'Living Room + 1 volume', exact: true }));
  // And back: Shift+Tab walks the same order backwards.
  await tabTo(page, living.getByRole('button', { name: 'Mute Living Room + 1', exact: true }), 'Shift+Tab');

  // Escape asks main to hide the popover (in the browser demo that is all it can do).
  await page.keyboard.press('Escape');
  await expect.poll(() => sentRequests(page, 'popover:hide')).toHaveLength(1);
  expect(problems).toEqual([]);
});

test('settings and diagnostics by keyboard alone', async ({ page, context, problems, demo }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await recordBridgeRequests(page);
  await openPopover(page, demo);
  await page.keyboard.press('Tab');
  await tabTo(page, page.getByRole('button', { name: 'Settings', exact: true }));
  await page.keyboard.press('Enter');
  // The view's heading takes the focus, so reading starts at the top.
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeFocused();
  const updates = async (): Promise<unknown[]> => sentRequests(page, 'settings:update');

  await tabTo(page, page.getByLabel('Volume step for hotkeys and mouse wheel'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('3');
  const mediaKeys = page.getByRole('checkbox', { name: 'Media keys control Sonos' });
  await tabTo(page, mediaKeys);
  await expect.poll(updates).toContainEqual({ hotkeyVolumeStep: 3 });
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ mediaKeys: false });
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ mediaKeys: true });
  await expect(mediaKeys).toBeChecked();
  await tabTo(page, page.getByLabel('Hotkeys control'));
  // The select moves with the arrow keys: the first group after "The group that is playing".
  await page.keyboard.press('ArrowDown');
  await expect.poll(updates).toContainEqual({
    hotkeyTargetPlayerId: (await demo.groupOf('Bedroom')).coordinatorId,
  });
  await tabTo(page, page.getByLabel('Volume up shortcut'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('F15');
  await tabTo(page, page.getByLabel('Volume down shortcut'));
  await expect.poll(updates).toContainEqual({ hotkeys: { volumeUp: 'F15' } });
  await tabTo(page, page.getByRole('checkbox', { name: 'Notify me when the track changes' }));
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ notifications: { enabled: false } });
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ notifications: { enabled: true } });
  // The group choices are disabled while notifications are off; wait for main's answer before tabbing on.
  await expect(page.getByRole('radio', { name: 'All groups' })).toBeEnabled();

  await tabTo(page, page.getByRole('radio', { name: 'All groups' }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Only these groups' })).toBeChecked();
  const bedroom = page.getByRole('checkbox', { name: 'Bedroom + 1' });
  await tabTo(page, bedroom);
  await page.keyboard.press('Space');
  await expect(bedroom).not.toBeChecked();
  const living = (await demo.groupOf('Living Room')).playerIds;
  const dining = (await demo.groupOf('Dining Room')).playerIds;
  await expect
    .poll(async () => (await updates()).at(-1))
    .toEqual({ notifications: { playerIds: expect.arrayContaining([...living, ...dining]) as unknown } });
  await tabTo(page, page.getByRole('checkbox', { name: 'Dining Room' }));
  await tabTo(page, page.getByRole('checkbox', { name: 'Living Room + 1' }));

  await tabTo(page, page.getByRole('checkbox', { name: 'Open Tray for Sonos when I log in' }));
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ launchAtLogin: true });
  await tabTo(page, page.getByRole('checkbox', { name: /Prefer the Sonos cloud/ }));
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ preferCloud: true });
  await tabTo(page, page.getByRole('checkbox', { name: /Leave VPN and virtual network adapters out/ }));
  await page.keyboard.press('Space');
  await expect.poll(updates).toContainEqual({ skipVirtualInterfaces: true });

  await tabTo(page, page.getByLabel('Add a speaker by IP address'));
  await page.keyboard.type('127.0.0.1:9');
  await page.keyboard.press('Enter');
  await expect.poll(updates).toContainEqual({ manualHosts: ['127.0.0.1:9'] });
  await expect(page.getByRole('list', { name: 'Speaker addresses' })).toContainText('127.0.0.1:9');
  await tabTo(page, page.getByRole('button', { name: 'Add', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'Remove 127.0.0.1:9' }));

  // The account section: the demo's made-up integration is filled in; Sign in waits for the browser, Cancel ends it.
  await tabTo(page, page.getByLabel('Key (client ID)'));
  await tabTo(page, page.getByLabel('Secret'));
  await tabTo(page, page.getByLabel('Redirect address'));
  // The demo keeps sign-ins in memory, like the app without a keyring: the opt-in to a plain file is offered.
  await tabTo(page, page.getByRole('checkbox', { name: /Keep me signed in without a keyring/ }));
  await tabTo(page, page.getByRole('button', { name: 'Sign in', exact: true }));
  await page.keyboard.press('Enter');
  // The paste step replaces the form, and the focus moves into it.
  await expect(
    page.getByLabel('If the browser did not come back here, paste the address it ended on'),
  ).toBeFocused();
  // Continue stays disabled until something is pasted, so Tab goes on to Cancel.
  await tabTo(page, page.getByRole('button', { name: 'Cancel' }));
  await page.keyboard.press('Enter');
  // Back to the form, with the focus on its Sign in button.
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeFocused();
  await expect.poll(() => sentRequests(page, 'account:cancelSignIn')).toHaveLength(1);

  await tabTo(page, page.getByRole('button', { name: 'Open diagnostics' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Diagnostics', level: 2 })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Copy report' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Report copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Speakers:');
  expect(copied).toContain('Kitchen');
  await tabTo(page, page.getByRole('button', { name: 'Search again' }));
  await page.keyboard.press('Escape');
  await expect.poll(() => sentRequests(page, 'popover:hide')).toHaveLength(1);
  expect(problems).toEqual([]);
});
