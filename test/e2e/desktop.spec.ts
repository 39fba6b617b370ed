/**
 * What the popover shows of the desktop it runs on (`app:getStatus`, `app:status`), with the real bundle and a
 * scripted `window.tray`: the close button of the app's window, the Media keys setting, macOS media keys waiting for
 * the Accessibility permission (and the button that asks macOS), the XWayland choice on a Wayland desktop, and a
 * sign-in scheme the OS would not register. axe finds nothing, light and dark, at 360 × 560, and all of it works by
 * keyboard.
 */
import type { Page, TestInfo } from '@playwright/test';
import type { ShellStatus } from '../../main/contract/model';
import { sampleSettings, sampleShellStatus, sampleSnapshot } from '../support/samples';
import { axeViolations, expect, serveRenderer, test, viewButton } from './fixtures';
import { calls, emit, installStubTray, ok, type StubReplies } from './stub-tray';

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

const MAC_UNTRUSTED = sampleShellStatus({
  platform: 'darwin',
  displayServer: null,
  mediaKeys: 'needs-permission',
  mpris: null,
  signInScheme: {
    registered: false,
    reason:
      'macOS lets only an installed copy of Tray for Sonos open io.github.trayforsonos:// addresses, and this one is not (a development build).',
  },
});
const WAYLAND = sampleShellStatus();

/** One group, its art left out (the page may fetch nothing from outside). */
function household() {
  const snapshot = sampleSnapshot();
  for (const group of Object.values(snapshot.groups))
    if (group.nowPlaying) group.nowPlaying = { ...group.nowPlaying, artUrl: null };
  return snapshot;
}

async function open(page: Page, status: ShellStatus | null, replies: StubReplies = {}): Promise<void> {
  await installStubTray(page, {
    'household:getSnapshot': ok(household()),
    'settings:get': ok({ ...sampleSettings(), manualHosts: [] }),
    'settings:update': ok({ ...sampleSettings(), manualHosts: [], mediaKeys: false }),
    'account:getState': {
      ok: false,
      error: {
        code: 'auth-not-configured',
        message: 'Sign-in is not set up.',
        retryable: false,
        details: null,
      },
    },
    'diagnostics:get': ok({
      app: { version: '0.1.0', electron: '45.4.1', node: '22.0.0', os: 'darwin arm64' },
      players: [],
      hotkeys: [],
      account: { status: 'signedOut', lastTransport: null },
    }),
    ...(status ? { 'app:getStatus': ok(status), 'app:requestAccessibility': ok(status) } : {}),
    ...replies,
  });
  await page.goto(server.url);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function fitsSideways(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(client);
}

test('the app window has a close button, reached by keyboard, that hides the popover; a browser page has none', async ({
  page,
  problems,
}) => {
  await open(page, WAYLAND);
  const close = page.getByRole('button', { name: 'Close Tray for Sonos' });
  await expect(close).toBeVisible();
  // After the view switcher, before the content.
  await viewButton(page, 'Diagnostics').focus();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await calls(page, 'popover:hide')).length).toBe(1);
  await close.click();
  await expect.poll(async () => (await calls(page, 'popover:hide')).length).toBe(2);

  await open(page, { ...WAYLAND, window: false });
  await expect(viewButton(page, 'Settings')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close Tray for Sonos' })).toHaveCount(0);
  // An older main that does not know the channel: nothing of it either.
  await open(page, null);
  await expect(viewButton(page, 'Settings')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close Tray for Sonos' })).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('macOS without the Accessibility permission: Settings says why and the button asks macOS', async ({
  page,
  problems,
}) => {
  await open(page, MAC_UNTRUSTED);
  await viewButton(page, 'Settings').click();
  await expect(
    page.getByText('macOS has not allowed Tray for Sonos to use the media keys yet.'),
  ).toBeVisible();
  await expect(
    page.getByText('Allow Tray for Sonos in System Settings → Privacy & Security → Accessibility.'),
  ).toBeVisible();
  const allow = page.getByRole('button', { name: 'Allow in System Settings…' });
  await allow.focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await calls(page, 'app:requestAccessibility')).length).toBe(1);
  await expect(page.getByRole('status').filter({ hasText: 'next time you open' })).toBeVisible();

  // Granted in System Settings; main registers the keys and says so.
  await emit(page, 'app:status', { ...MAC_UNTRUSTED, mediaKeys: 'shortcuts' });
  await expect(allow).toHaveCount(0);
  await expect(
    page.getByText('Play/Pause, Next and Previous on your keyboard control the group'),
  ).toBeVisible();
  expect(problems).toEqual([]);
});

test('the Media keys setting is on by default and can be turned off', async ({ page, problems }) => {
  await open(page, WAYLAND);
  await viewButton(page, 'Settings').click();
  const media = page.getByRole('checkbox', { name: 'Media keys control Sonos' });
  await expect(media).toBeChecked();
  await expect(page.getByText('through your desktop’s media controls')).toBeVisible();
  await media.focus();
  await page.keyboard.press('Space');
  await expect
    .poll(async () => (await calls(page, 'settings:update')).map((c) => c.payload))
    .toEqual([{ mediaKeys: false }]);
  await expect(media).not.toBeChecked();
  expect(problems).toEqual([]);
});

test('Wayland: XWayland is offered and saved; requested shortcuts and a refused sign-in scheme are explained', async ({
  page,
  problems,
}) => {
  await open(
    page,
    {
      ...WAYLAND,
      signInScheme: {
        registered: false,
        reason:
          'Your desktop has no entry for Tray for Sonos (io.github.trayforsonos.desktop), so it cannot open io.github.trayforsonos:// addresses with it. Installing the .deb package, or starting the AppImage, adds one.',
      },
    },
    { 'settings:update': ok({ ...sampleSettings(), manualHosts: [], xwayland: true }) },
  );
  await viewButton(page, 'Settings').click();
  const xwayland = page.getByRole('checkbox', { name: 'Run under XWayland' });
  await expect(xwayland).not.toBeChecked();
  await xwayland.check();
  await expect
    .poll(async () => (await calls(page, 'settings:update')).map((c) => c.payload))
    .toEqual([{ xwayland: true }]);
  await expect(page.getByTestId('sign-in-scheme')).toContainText('Sign-in links cannot open Tray for Sonos');
  await expect(page.getByTestId('sign-in-scheme')).toContainText('io.github.trayforsonos.desktop');
  await expect(page.getByTestId('sign-in-scheme')).toContainText('paste the address');

  // What the portal was only asked for is said so, in Settings and in Diagnostics.
  await open(page, WAYLAND, {
    'diagnostics:get': ok({
      app: { version: '0.1.0', electron: '45.4.1', node: '22.0.0', os: 'linux x64' },
      players: [],
      hotkeys: [
        {
          action: 'volumeUp',
          accelerator: 'Alt+Shift+Up',
          registered: false,
          state: 'requested',
          problem: null,
        },
      ],
      account: { status: 'signedOut', lastTransport: null },
    }),
  });
  await viewButton(page, 'Settings').click();
  await expect(page.getByTestId('shortcuts-requested')).toContainText(
    'Your desktop was asked for these shortcuts',
  );
  await viewButton(page, 'Diagnostics').click();
  await expect(
    page.getByText('requested from the desktop (it does not say whether it agreed)'),
  ).toBeVisible();

  // On X11, or elsewhere, there is nothing to choose and nothing to explain.
  await open(page, { ...WAYLAND, displayServer: 'x11' });
  await viewButton(page, 'Settings').click();
  await expect(page.getByRole('checkbox', { name: 'Media keys control Sonos' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Run under XWayland' })).toHaveCount(0);
  await expect(page.getByTestId('sign-in-scheme')).toHaveCount(0);
  expect(problems).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing in the new pieces, ${scheme}, at 360 × 560`, async ({
    page,
    problems,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, status] of [
      ['macos', MAC_UNTRUSTED],
      ['wayland', { ...WAYLAND, signInScheme: MAC_UNTRUSTED.signInScheme }],
    ] as const) {
      await open(page, status);
      await expect(page.getByRole('button', { name: 'Close Tray for Sonos' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `${name}-speakers-${scheme}`);
      await fitsSideways(page);
      await viewButton(page, 'Settings').click();
      await expect(page.getByRole('checkbox', { name: 'Media keys control Sonos' })).toBeVisible();
      if (name === 'macos') await page.getByRole('button', { name: 'Allow in System Settings…' }).click();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('heading', { name: 'Hotkeys' }).scrollIntoViewIfNeeded();
      await screenshot(page, testInfo, `${name}-settings-${scheme}`);
      await fitsSideways(page);
    }
    expect(problems).toEqual([]);
  });
}
