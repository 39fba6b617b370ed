/**
 * Settings → Updates with the real popover bundle and a scripted `window.tray` (stub-tray.ts) playing main: the
 * automatic-check setting, "Check now", a download in progress, "Update to X.Y.Z — Restart", a refused download
 * and a copy that cannot update itself. Main's side (electron-updater against a feed) is tested in
 * test/integration/shell/updater.test.ts.
 */
import type { Page } from '@playwright/test';
import type { UpdateState } from '../../main/contract/model';
import { sampleSettings, sampleUpdateState } from '../support/samples';
import { axeViolations, expect, serveRenderer, test, viewButton } from './fixtures';
import { calls, emit, installStubTray, ok, setReply } from './stub-tray';

let server: Awaited<ReturnType<typeof serveRenderer>>;
test.beforeAll(async () => {
  server = await serveRenderer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(async ({ page }) => {
  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
});

async function openSettings(page: Page, state: UpdateState): Promise<void> {
  await installStubTray(page, {
    'household:getSnapshot': 'pending',
    'settings:get': ok(sampleSettings()),
    'account:getState': {
      ok: false,
      error: {
        code: 'auth-not-configured',
        message: 'Sign-in is not set up.',
        retryable: false,
        details: null,
      },
    },
    'updates:getState': ok(state),
  });
  await page.goto(server.url);
  await viewButton(page, 'Settings').click();
}

test('check now, download, then "Update to 0.2.0 — Restart" installs', async ({ page, problems }) => {
  await openSettings(page, { ...sampleUpdateState(), lastCheckedAt: Date.now() - 5 * 60_000 });
  const status = page.getByTestId('update-status');
  await expect(status).toHaveText('Tray for Sonos (0.1.0) is up to date (checked 5 min ago).');
  await expect(page.getByRole('checkbox', { name: 'Check for updates automatically' })).toBeChecked();
  await expect(
    page.getByRole('checkbox', { name: 'Include pre-releases (test versions)' }),
  ).not.toBeChecked();
  expect(await axeViolations(page)).toEqual([]);

  await setReply(page, 'updates:check', ok({ ...sampleUpdateState(), status: 'checking' }));
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(status).toHaveText('Checking for updates…');
  await expect(page.getByRole('button', { name: 'Check now' })).toBeDisabled();
  await emit(page, 'updates:state', {
    ...sampleUpdateState(),
    status: 'downloading',
    availableVersion: '0.2.0',
    progress: 40,
  });
  await expect(status).toHaveText('Downloading 0.2.0 — 40%');
  await emit(page, 'updates:state', { ...sampleUpdateState(), status: 'ready', availableVersion: '0.2.0' });
  await expect(status).toHaveText(/Version 0\.2\.0 is downloaded and verified/);
  const install = page.getByRole('button', { name: 'Update to 0.2.0 — Restart' });
  expect(await axeViolations(page)).toEqual([]);
  await install.click();
  await expect.poll(async () => (await calls(page, 'updates:install')).length).toBe(1);
  expect(problems).toEqual([]);
});

test('the automatic-check and pre-release settings save on change', async ({ page, problems }) => {
  await openSettings(page, sampleUpdateState());
  await setReply(
    page,
    'settings:update',
    ok({ ...sampleSettings(), updates: { automatic: false, prerelease: false } }),
  );
  await page.getByRole('checkbox', { name: 'Check for updates automatically' }).uncheck();
  await setReply(
    page,
    'settings:update',
    ok({ ...sampleSettings(), updates: { automatic: false, prerelease: true } }),
  );
  await page.getByRole('checkbox', { name: 'Include pre-releases (test versions)' }).check();
  await expect
    .poll(async () => (await calls(page, 'settings:update')).map((c) => c.payload))
    .toEqual([{ updates: { automatic: false } }, { updates: { prerelease: true } }]);
  expect(problems).toEqual([]);
});

test('a refused download is reported with its code, and the next check is offered', async ({
  page,
  problems,
}) => {
  await openSettings(page, {
    ...sampleUpdateState(),
    error: {
      code: 'update-unverified',
      message:
        'The downloaded update did not match its sha512 checksum, so it was deleted and will not be installed.',
      retryable: true,
      details: { code: null, description: null, uri: null, technical: 'ERR_CHECKSUM_MISMATCH' },
    },
  });
  await expect(page.getByText(/did not match its sha512 checksum/)).toBeVisible();
  await expect(page.getByTestId('update-status')).toHaveText(/tries again later/);
  await expect(page.getByRole('button', { name: 'Check now' })).toBeEnabled();
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('an unsigned macOS copy says why it does not update, with no settings that would do nothing', async ({
  page,
  problems,
}) => {
  await openSettings(page, { ...sampleUpdateState(), status: 'unsupported', unsupported: 'unsigned-mac' });
  await expect(page.getByTestId('update-status')).toHaveText(/macOS installs updates only into signed apps/);
  await expect(page.getByRole('checkbox', { name: 'Check for updates automatically' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Check now' })).toHaveCount(0);
  expect(problems).toEqual([]);
});
