/**
 * Volume against `npm run demo` with the simulator's realistic timings (260 ms hold-back, 21 ms apply delay):
 * the group and speaker sliders drive the simulated speakers, stay where the user holds them, and follow other
 * controllers otherwise.
 */
import type { Page } from '@playwright/test';
import { expect, openPopover, recordBridgeRequests, sentRequests, test, viewButton } from './fixtures';

const GROUP = 'Living Room + 1';

function groupSlider(page: Page, name = GROUP) {
  return page.getByRole('region', { name }).getByRole('slider', { name: `${name} volume`, exact: true });
}

test('dragging a group slider sends every value, the simulator follows and ends at the slider’s value', async ({
  page,
  problems,
  demo,
}) => {
  await recordBridgeRequests(page);
  await openPopover(page, demo);
  const slider = groupSlider(page);
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  const at = (fraction: number): number => box.x + box.width * fraction;

  await page.mouse.move(at(0.1), y);
  await page.mouse.down();
  const shown: number[] = [];
  const simulated: number[] = [];
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(at(0.1 + i * 0.07), y, { steps: 3 });
    shown.push(Number(await slider.inputValue()));
    await page.waitForTimeout(120);
    simulated.push((await demo.groupOf('Living Room')).volume);
  }
  await page.mouse.up();
  const final = Number(await slider.inputValue());

  // The thumb went where the pointer went, never back (no echo of an older value moved it).
  expect(shown).toEqual([...shown].sort((a, b) => a - b));
  expect(final).toBeGreaterThan(70);
  // Every value went out (the core coalesces); the speakers followed during the drag, not only at the end.
  const sent = (await sentRequests(page, 'group:setVolume')) as { volume: number }[];
  expect(sent.length).toBeGreaterThanOrEqual(10);
  expect(sent.at(-1)!.volume).toBe(final);
  expect(new Set(simulated).size).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => (await demo.groupOf('Living Room')).volume, { timeout: 5_000 }).toBe(final);
  // And the popover settles on it: visible number, slider and the screen reader's text.
  await page.waitForTimeout(1_500);
  await expect(slider).toHaveValue(String(final));
  await expect(slider).toHaveAttribute('aria-valuetext', `${GROUP} volume ${final}%`);
  await expect(page.getByRole('region', { name: GROUP }).locator('.volume .number')).toHaveText(
    String(final),
  );
  expect(problems).toEqual([]);
});

test('a speaker’s own slider sets that speaker, and the group volume follows', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const card = page.getByRole('region', { name: 'Bedroom + 1' });
  await card.getByRole('button', { name: '2 speakers' }).click();
  await expect(card.getByRole('button', { name: '2 speakers' })).toHaveAttribute('aria-expanded', 'true');
  const office = card.getByRole('slider', { name: 'Office volume', exact: true });
  await expect(office).toBeVisible();

  const box = (await office.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  const final = Number(await office.inputValue());
  expect(final).toBeGreaterThan(70);
  await expect.poll(async () => (await demo.player('Office')).volume, { timeout: 5_000 }).toBe(final);
  // Bedroom was not touched; the group's volume is derived from its speakers, in the simulator and on screen.
  const group = await demo.groupOf('Office');
  await expect(groupSlider(page, 'Bedroom + 1')).toHaveValue(String(group.volume));
  await expect(card.getByRole('slider', { name: 'Bedroom volume', exact: true })).toHaveValue(
    String((await demo.player('Bedroom')).volume),
  );
  expect(problems).toEqual([]);
});

test('a change from another controller shows within 500 ms, but not while the user holds the slider', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const slider = groupSlider(page);
  const { id } = await demo.groupOf('Living Room');

  const started = Date.now();
  await demo.post('setGroupVolume', { groupId: id, volume: 63 });
  await expect(slider).toHaveValue('63', { timeout: 500 });
  expect(Date.now() - started).toBeLessThan(500);
  await expect(slider).toHaveAttribute('aria-valuetext', `${GROUP} volume 63%`);

  // Hold the thumb: another controller's change must not pull it from under the pointer.
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  const held = await slider.inputValue();
  await page.waitForTimeout(400);
  await demo.post('setGroupVolume', { groupId: id, volume: 90 });
  await expect.poll(async () => (await demo.groupOf('Living Room')).volume).toBe(90);
  await page.waitForTimeout(600);
  await expect(slider).toHaveValue(held);
  await page.mouse.up();
  // Let go, and the popover shows the household's truth again: the other controller's 90.
  await expect(slider).toHaveValue('90', { timeout: 3_000 });
  expect(problems).toEqual([]);
});

test.describe('with the fast simulator', () => {
  test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

  test('keys step ±1 and PageUp/PageDown ±10; the wheel steps by the volume step setting', async ({
    page,
    problems,
    demo,
  }) => {
    await openPopover(page, demo);
    const slider = groupSlider(page);
    const { id } = await demo.groupOf('Living Room');
    await demo.post('setGroupVolume', { groupId: id, volume: 40 });
    await expect(slider).toHaveValue('40');

    const expectVolume = async (volume: number): Promise<void> => {
      await expect(slider).toHaveValue(String(volume));
      await expect.poll(async () => (await demo.groupOf('Living Room')).volume).toBe(volume);
    };
    await slider.focus();
    await page.keyboard.press('PageUp');
    await expectVolume(50);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expectVolume(30);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    await expectVolume(32);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expectVolume(29);

    // The wheel over the slider: one notch is one volume step (5 by default), and the page does not scroll.
    const box = (await slider.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -100);
    await expectVolume(34);
    await page.mouse.wheel(0, 100);
    await page.mouse.wheel(0, 100);
    await expectVolume(24);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // With a step of 2 in the settings, a notch moves 2.
    await viewButton(page, 'Settings').click();
    await page.getByLabel('Volume step for hotkeys and mouse wheel').fill('2');
    await page.getByLabel('Volume step for hotkeys and mouse wheel').press('Tab');
    await viewButton(page, 'Speakers').click();
    const again = (await slider.boundingBox())!;
    await page.mouse.move(again.x + again.width / 2, again.y + again.height / 2);
    await page.mouse.wheel(0, -100);
    await expectVolume(26);
    expect(problems).toEqual([]);
  });
});
