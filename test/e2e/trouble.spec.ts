/** Connection trouble per speaker, with the core's reason, and recovery, against the demo. */
import { expect, openPopover, recordBridgeRequests, sentRequests, test, viewButton } from './fixtures';

test.use({ simArgs: '--players 5 --groups 1+2,3+4,5 --fast' });

test('a speaker taken offline shows its trouble with the reason, and recovers', async ({
  page,
  problems,
  demo,
}) => {
  await openPopover(page, demo);
  const card = page.getByRole('region', { name: 'Living Room + 1' });
  await expect(card.getByTestId('trouble')).toHaveCount(0);
  const box = await card.boundingBox();

  await demo.post('takeOffline', { playerId: (await demo.player('Kitchen')).id });
  const trouble = card.getByTestId('trouble');
  await expect(trouble).toHaveText(
    /Kitchen: (The connection to this speaker dropped\.|The speaker refused the connection\. Is it switched on\?)/,
  );
  // In place of the service line: the card keeps its size, so nothing below it moves.
  expect(await card.boundingBox()).toEqual(box);
  // Only Kitchen's card says so; the other groups carry on.
  await expect(page.getByRole('region', { name: 'Bedroom + 1' }).getByText('Kitchen:')).toHaveCount(0);
  await expect(
    page.getByRole('region', { name: 'Bedroom + 1' }).getByRole('button', { name: 'Pause Bedroom + 1' }),
  ).toBeVisible();

  // The diagnostics view tells the same story, with the technical reason.
  await viewButton(page, 'Diagnostics').click();
  const kitchen = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Kitchen' }) });
  await expect(kitchen).toContainText('Offline');
  await viewButton(page, 'Speakers').click();

  await demo.post('bringOnline', { playerId: (await demo.player('Kitchen')).id });
  await expect(trouble).toHaveCount(0, { timeout: 10_000 });
  // And it can be controlled again: its own slider drives the simulated speaker.
  await card.getByRole('button', { name: '2 speakers' }).click();
  const slider = card.getByRole('slider', { name: 'Kitchen volume', exact: true });
  await slider.focus();
  const before = Number(await slider.inputValue());
  await page.keyboard.press(before > 50 ? 'PageDown' : 'PageUp');
  const expected = before > 50 ? before - 10 : before + 10;
  await expect.poll(async () => (await demo.player('Kitchen')).volume).toBe(expected);
  expect(problems).toEqual([]);
});

test('a changed certificate reads as a warning, is trusted exactly as shown, and its banner goes once connected', async ({
  page,
  problems,
  demo,
}) => {
  await recordBridgeRequests(page);
  await openPopover(page, demo);
  const { id } = await demo.player('Bedroom');
  const { fingerprint256 } = (await demo.post('rotateCertificate', { playerId: id })) as {
    fingerprint256: string;
  };
  await demo.post('dropSockets', { playerId: id });
  // A command to the speaker meanwhile is refused: the banner says why, as a warning.
  const group = page.getByRole('region', { name: 'Bedroom + 1' });
  await expect(group.getByTestId('trouble')).toContainText(
    'Bedroom: This speaker now presents a different certificate',
    {
      timeout: 10_000,
    },
  );
  await group.getByRole('button', { name: 'Mute Bedroom + 1' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'now presents a different certificate' });
  await expect(banner).toContainText(
    'This speaker now presents a different certificate — if you did not reset or replace it, someone may be impersonating it.',
  );
  await viewButton(page, 'Diagnostics').click();
  const bedroom = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Bedroom' }) });
  await expect(bedroom.locator('code.fingerprint')).toHaveText(fingerprint256, { timeout: 10_000 });
  await expect(bedroom).toContainText(
    'If you did not reset or replace it, someone on your network may be impersonating it: do not trust it.',
  );
  await bedroom.getByRole('button', { name: 'Trust new certificate of Bedroom' }).click();
  await expect(bedroom.getByRole('button', { name: /Trust new certificate/ })).toHaveCount(0);
  await expect(bedroom).toContainText('Connected', { timeout: 10_000 });
  // Connected again: the banner about the certificate is gone, not left saying what is no longer true.
  await expect(banner).toHaveCount(0);
  expect(await sentRequests(page, 'diagnostics:trustCertificate')).toEqual([
    { playerId: id, fingerprint: fingerprint256 },
  ]);
  expect(problems).toEqual([]);
});
