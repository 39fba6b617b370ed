/**
 * Transport buttons, now playing, the order of the cards and track-change announcements, against the demo.
 */
import { expect, openPopover, test } from './fixtures';

const GROUP = 'Living Room + 1';

test('play, pause, next and previous change the simulated group', async ({ page, problems, demo }) => {
  await openPopover(page, demo);
  const card = page.getByRole('region', { name: GROUP });
  const first = await demo.groupOf('Living Room');
  expect(first.playbackState).toBe('PLAYBACK_STATE_PLAYING');
  await expect(card.getByText(first.track!.name, { exact: true })).toBeVisible();
  await expect(card.getByText('Simulated Music')).toBeVisible();

  await card.getByRole('button', { name: `Pause ${GROUP}`, exact: true }).click();
  await expect
    .poll(async () => (await demo.groupOf('Living Room')).playbackState)
    .toBe('PLAYBACK_STATE_PAUSED');
  await card.getByRole('button', { name: `Play ${GROUP}`, exact: true }).click();
  await expect
    .poll(async () => (await demo.groupOf('Living Room')).playbackState)
    .toBe('PLAYBACK_STATE_PLAYING');
  await expect(card.getByRole('button', { name: `Pause ${GROUP}`, exact: true })).toBeVisible();

  await card.getByRole('button', { name: 'Next track', exact: true }).click();
  await expect.poll(async () => (await demo.groupOf('Living Room')).track?.name).not.toBe(first.track!.name);
  const next = await demo.groupOf('Living Room');
  await expect(card.getByText(next.track!.name, { exact: true })).toBeVisible();

  await card.getByRole('button', { name: 'Previous track', exact: true }).click();
  await expect.poll(async () => (await demo.groupOf('Living Room')).track?.name).toBe(first.track!.name);
  await expect(card.getByText(first.track!.name, { exact: true })).toBeVisible();
  // The other groups were not touched.
  expect((await demo.groupOf('Bedroom')).playbackState).toBe('PLAYBACK_STATE_PLAYING');
  expect(problems).toEqual([]);
});

test('a radio station cannot skip: Next and Previous stay in place, disabled with the reason', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const radio = page.getByRole('region', { name: 'Dining Room' });
  await expect(radio.getByText('Simulated Radio')).toBeVisible();
  await expect(radio.getByText('Loopback FM')).toBeVisible();
  const next = radio.getByRole('button', { name: 'Next track', exact: true });
  await expect(next).toHaveAttribute('aria-disabled', 'true');
  await expect(next).toHaveAccessibleDescription('This source cannot skip');
  await expect(radio.getByRole('button', { name: 'Previous track', exact: true })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  const before = await demo.groupOf('Dining Room');
  // Still clickable (aria-disabled keeps it focusable, so the reason can be found); the click does nothing.
  // `force`: Playwright itself waits for aria-disabled elements to become enabled.
  await next.click({ force: true });
  await page.waitForTimeout(500);
  expect((await demo.groupOf('Dining Room')).streamInfo).toBe(before.streamInfo);
  // Pausing is allowed (the station stops).
  await radio.getByRole('button', { name: 'Pause Dining Room', exact: true }).click();
  await expect
    .poll(async () => (await demo.groupOf('Dining Room')).playbackState)
    .not.toBe('PLAYBACK_STATE_PLAYING');
  await expect(radio.getByRole('button', { name: 'Play Dining Room', exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test('playing groups come first when the popover opens; while it is open a card another controller pauses stays put', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const names = () => page.getByRole('region').locator('h3').allTextContents();
  expect(await names()).toEqual(['Bedroom + 1', 'Dining Room', 'Living Room + 1']);
  const bedroom = page.getByRole('region', { name: 'Bedroom + 1' });
  const before = await bedroom.boundingBox();
  await demo.post('playback', { groupId: (await demo.groupOf('Bedroom')).id, action: 'pause' });
  await expect(bedroom.getByRole('button', { name: 'Play Bedroom + 1', exact: true })).toBeVisible();
  // Nothing under the pointer moved: same order, same place.
  expect(await names()).toEqual(['Bedroom + 1', 'Dining Room', 'Living Room + 1']);
  expect(await bedroom.boundingBox()).toEqual(before);

  // The popover is shown again (the demo page comes back into view): now it sorts, playing first.
  await page.evaluate(() => {
    for (const state of ['hidden', 'visible'] as const) {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }
  });
  await expect.poll(names).toEqual(['Dining Room', 'Living Room + 1', 'Bedroom + 1']);
  expect(problems).toEqual([]);
});

test('a track change is announced politely, not the tracks already playing at load', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const live = page.getByTestId('announcer');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await page.waitForTimeout(500);
  await expect(live).toHaveText('');

  await demo.post('playback', { groupId: (await demo.groupOf('Living Room')).id, action: 'skipToNextTrack' });
  const track = (await demo.groupOf('Living Room')).track!;
  await expect(live).toHaveText(`Now playing ${track.name} by ${track.artist} in ${GROUP}`);
  await expect(
    page.getByRole('region', { name: GROUP }).getByText(track.name, { exact: true }),
  ).toBeVisible();
  expect(problems).toEqual([]);
});

test('no layout jump: track and volume changes leave every card where it was, the same size', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const boxes = () =>
    page
      .getByRole('region')
      .evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().toJSON() as unknown));
  const before = await boxes();
  const living = await demo.groupOf('Living Room');
  // Through the playlist, past its very long title and the track without an album.
  for (let i = 0; i < 6; i++) {
    const title = (await demo.groupOf('Living Room')).track!.name;
    await demo.post('playback', { groupId: living.id, action: 'skipToNextTrack' });
    await expect(
      page.getByRole('region', { name: 'Living Room + 1' }).getByText(title, { exact: true }),
    ).toHaveCount(0);
    expect(await boxes()).toEqual(before);
  }
  for (const volume of [0, 9, 10, 100]) {
    await demo.post('setGroupVolume', { groupId: living.id, volume });
    await expect(page.getByRole('slider', { name: 'Living Room + 1 volume', exact: true })).toHaveValue(
      String(volume),
    );
    expect(await boxes()).toEqual(before);
  }
  expect(problems).toEqual([]);
});
