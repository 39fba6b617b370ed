/**
 * States the demo cannot produce on demand, with the real popover bundle and a scripted `window.tray`
 * (stub-tray.ts): loading, nothing found, patch gaps, album art, sources that forbid actions, refused commands,
 * view switching from main and the teardown of subscriptions.
 */
import type { Page } from '@playwright/test';
import type { Group, HouseholdSnapshot, Player } from '../../main/contract/model';
import { sampleGroup, samplePlayer, sampleSettings, sampleSnapshot } from '../support/samples';
import { axeViolations, expect, serveRenderer, test } from './fixtures';
import { calls, emit, installStubTray, listenerCount, ok, setReply, type StubReplies } from './stub-tray';

let server: Awaited<ReturnType<typeof serveRenderer>>;
test.beforeAll(async () => {
  server = await serveRenderer();
});
test.afterAll(async () => {
  await server.close();
});
// Nothing leaves the machine: a request for anything but the local server is aborted before it goes out (a test
// that shows album art answers its own https requests with a route of its own, which takes precedence).
test.beforeEach(async ({ page }) => {
  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
});

const KITCHEN = samplePlayer();
const DEN = samplePlayer({ id: 'RINCON_000E58A0000002400', name: 'Den', sonosName: 'Den', volume: 20 });

function household(groups: Group[], players: Player[], revision = 3): HouseholdSnapshot {
  return {
    ...sampleSnapshot(),
    revision,
    groups: Object.fromEntries(groups.map((g) => [g.id, g])),
    players: Object.fromEntries(players.map((p) => [p.id, p])),
  };
}

const kitchenGroup = sampleGroup({ nowPlaying: { ...sampleGroup().nowPlaying!, artUrl: null } });
const denGroup = sampleGroup({
  id: `${DEN.id}:1`,
  name: 'Den',
  coordinatorId: DEN.id,
  playerIds: [DEN.id],
  volume: 20,
  playback: 'paused',
  nowPlaying: { ...sampleGroup().nowPlaying!, title: 'Rock with You', artUrl: null },
});

async function open(page: Page, replies: StubReplies): Promise<void> {
  await installStubTray(page, {
    'settings:get': ok({ ...sampleSettings(), manualHosts: [] }),
    'account:getState': {
      ok: false,
      error: {
        code: 'auth-not-configured',
        message: 'Sign-in is not set up.',
        retryable: false,
        details: null,
      },
    },
    ...replies,
  });
  await page.goto(server.url);
}

test('loading, then nothing found: the address field adds a speaker address and shows main’s refusal', async ({
  page,
  problems,
}) => {
  await open(page, { 'household:getSnapshot': 'pending' });
  await expect(page.getByRole('status')).toHaveText('Looking for speakers…');
  expect(await axeViolations(page)).toEqual([]);

  await emit(page, 'household:snapshot', { ...household([], []), discovery: 'idle' });
  await expect(page.getByRole('status').first()).toHaveText('No speakers found — add an IP address');
  const field = page.getByRole('textbox', { name: 'Speaker IP address' });
  await setReply(page, 'settings:update', {
    ok: false,
    error: {
      code: 'invalid-request',
      message: 'Enter an IP address or host name, optionally with :port',
      retryable: false,
      details: null,
    },
  });
  await field.fill('not an address!');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('Enter an IP address or host name, optionally with :port');
  await expect(field).toHaveValue('not an address!');
  expect(await axeViolations(page)).toEqual([]);

  await setReply(page, 'settings:update', ok({ ...sampleSettings(), manualHosts: ['192.168.1.20'] }));
  await field.fill('192.168.1.20');
  await field.press('Enter');
  await expect(page.getByRole('list', { name: 'Speaker addresses' })).toHaveText(/192\.168\.1\.20/);
  expect((await calls(page, 'settings:update')).map((c) => c.payload)).toEqual([
    { manualHosts: ['not an address!'] },
    { manualHosts: ['192.168.1.20'] },
  ]);
  await expect.poll(async () => (await calls(page, 'speakers:rescan')).length).toBe(1);
  await expect(field).toHaveValue('');
  expect(problems).toEqual([]);
});

test('patches apply in revision order; a gap fetches a fresh snapshot; removing the last group empties the list', async ({
  page,
  problems,
}) => {
  await open(page, { 'household:getSnapshot': ok(household([kitchenGroup, denGroup], [KITCHEN, DEN])) });
  const slider = page.getByRole('slider', { name: 'Kitchen volume', exact: true });
  await expect(slider).toHaveValue('35');

  await emit(page, 'household:patch', {
    revision: 4,
    groups: { [kitchenGroup.id]: { ...kitchenGroup, volume: 50 } },
  });
  await expect(slider).toHaveValue('50');
  // A patch from the past changes nothing.
  await emit(page, 'household:patch', {
    revision: 4,
    groups: { [kitchenGroup.id]: { ...kitchenGroup, volume: 1 } },
  });
  await expect(slider).toHaveValue('50');

  // Revision 6 after 4: one was lost. The popover asks for a snapshot instead of applying it.
  const fresh = household([{ ...kitchenGroup, volume: 70 }, denGroup], [KITCHEN, DEN], 6);
  await setReply(page, 'household:getSnapshot', ok(fresh));
  await emit(page, 'household:patch', {
    revision: 6,
    groups: { [kitchenGroup.id]: { ...kitchenGroup, volume: 9 } },
  });
  await expect(slider).toHaveValue('70');
  expect(await calls(page, 'household:getSnapshot')).toHaveLength(2);

  // Two groups change track in one patch: one announcement with both.
  await emit(page, 'household:patch', {
    revision: 7,
    groups: {
      [kitchenGroup.id]: {
        ...kitchenGroup,
        volume: 70,
        nowPlaying: { ...kitchenGroup.nowPlaying!, title: 'Thriller' },
      },
      [denGroup.id]: { ...denGroup, nowPlaying: { ...denGroup.nowPlaying!, title: 'Bad', artist: null } },
    },
  });
  await expect(page.getByTestId('announcer')).toHaveText(
    /^(Now playing Thriller by Michael Jackson in Kitchen\. Now playing Bad in Den|Now playing Bad in Den\. Now playing Thriller by Michael Jackson in Kitchen)$/,
  );

  await emit(page, 'household:patch', {
    revision: 8,
    groups: { [kitchenGroup.id]: null, [denGroup.id]: null },
  });
  await expect(page.getByRole('region')).toHaveCount(0);
  await expect(page.getByRole('status').first()).toHaveText('No speakers found — add an IP address');
  expect(problems).toEqual([]);
});

test('album art: a path main serves is shown; remote URLs and broken images get the neutral placeholder', async ({
  page,
  problems,
}) => {
  // Main serves art under /art/ (the stub's static server has none: this route stands in for main).
  await page.route('**/art/**', (route) =>
    route.request().url().endsWith('/art/cover1')
      ? route.fulfill({
          contentType: 'image/svg+xml',
          body: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#c33"/></svg>',
        })
      : route.fulfill({ status: 404, body: '' }),
  );
  const np = kitchenGroup.nowPlaying!;
  const groups = [
    { ...kitchenGroup, nowPlaying: { ...np, artUrl: '/art/cover1' } },
    // A remote URL never reaches the popover from main; if one did, the popover would not load it.
    { ...denGroup, nowPlaying: { ...np, title: 'Remote', artUrl: 'https://art.example.test/cover.svg' } },
    sampleGroup({
      id: 'RINCON_000E58A0000003400:1',
      name: 'Attic',
      coordinatorId: 'RINCON_000E58A0000003400',
      playerIds: ['RINCON_000E58A0000003400'],
      nowPlaying: { ...np, artUrl: '/art/missing' },
    }),
  ];
  const attic = samplePlayer({ id: 'RINCON_000E58A0000003400', name: 'Attic', sonosName: 'Attic' });
  await open(page, { 'household:getSnapshot': ok(household(groups, [KITCHEN, DEN, attic])) });

  const art = page.getByRole('region', { name: 'Kitchen' }).locator('img');
  await expect(art).toHaveAttribute('src', '/art/cover1');
  await expect.poll(() => art.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(art).toHaveAttribute('alt', '');
  await expect(page.getByRole('region', { name: 'Den' }).getByTestId('art-placeholder')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Den' }).locator('img')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Attic' }).getByTestId('art-placeholder')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Attic' }).locator('img')).toHaveCount(0);
  // The 404 of the broken image is the one console message we expect.
  expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  problems.length = 0;
});

test('a source that cannot pause says why and sends nothing; a refused command shows a notice', async ({
  page,
  problems,
}) => {
  const live = {
    ...kitchenGroup,
    actions: { ...kitchenGroup.actions, canPause: false, canSkip: false, canSkipBack: false, canSeek: false },
  };
  await open(page, {
    'household:getSnapshot': ok(household([live], [KITCHEN])),
    'group:setVolume': {
      ok: false,
      error: {
        code: 'unreachable',
        message: 'Kitchen did not answer.',
        retryable: true,
        details: { code: null, description: null, uri: null, technical: 'ETIMEDOUT 192.168.1.20:1443' },
      },
    },
  });
  const card = page.getByRole('region', { name: 'Kitchen' });
  const pause = card.getByRole('button', { name: 'Pause Kitchen', exact: true });
  await expect(pause).toHaveAttribute('aria-disabled', 'true');
  await expect(pause).toHaveAccessibleDescription('This source cannot be paused');
  await pause.click({ force: true });
  await card.getByRole('button', { name: 'Next track' }).click({ force: true });

  const slider = card.getByRole('slider', { name: 'Kitchen volume', exact: true });
  await slider.focus();
  await page.keyboard.press('ArrowUp');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Kitchen did not answer.');
  // Main refused the value: the slider shows main's value again.
  await expect(slider).toHaveValue('35');
  await alert.getByText('Details').click();
  await expect(alert).toContainText('ETIMEDOUT 192.168.1.20:1443');
  expect(await axeViolations(page)).toEqual([]);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeEmpty();
  expect(await calls(page, 'playback:command')).toEqual([]);
  expect(problems).toEqual([]);
});

test('main switches views and moves focus; every subscription is removed with what made it', async ({
  page,
  problems,
}) => {
  await open(page, {
    'household:getSnapshot': ok(household([kitchenGroup], [KITCHEN])),
    'diagnostics:get': ok({
      app: { version: '0.1.0', electron: null, node: '20.20.2', os: 'linux x64' },
      players: [],
      hotkeys: [],
      account: { status: 'signedOut', lastTransport: null },
    }),
  });
  await expect(page.getByRole('region', { name: 'Kitchen' })).toBeVisible();
  for (const event of [
    'household:patch',
    'household:snapshot',
    'settings:changed',
    'account:state',
  ] as const) {
    expect(await listenerCount(page, event), event).toBe(1);
  }
  expect(await listenerCount(page, 'diagnostics:changed')).toBe(0);

  await emit(page, 'popover:navigate', { view: 'diagnostics' });
  await expect(page.getByRole('heading', { name: 'Diagnostics', level: 2 })).toBeFocused();
  await expect.poll(() => listenerCount(page, 'diagnostics:changed')).toBe(1);
  // (Settings stays mounted and asked once for the hotkey statuses too.)
  const asked = (await calls(page, 'diagnostics:get')).length;
  await emit(page, 'diagnostics:changed', null);
  await expect.poll(async () => (await calls(page, 'diagnostics:get')).length).toBe(asked + 1);

  await emit(page, 'popover:navigate', { view: 'settings' });
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeFocused();
  expect(await listenerCount(page, 'diagnostics:changed')).toBe(0);

  await emit(page, 'popover:navigate', { view: 'main' });
  await page.getByRole('region', { name: 'Kitchen' }).getByRole('button', { name: 'Next track' }).focus();
  await emit(page, 'popover:shown', null);
  await expect(page.getByRole('heading', { name: 'Speakers', level: 2 })).toBeFocused();
  expect(problems).toEqual([]);
});

test('settings show shortcuts that could not be registered, and main’s refusal of a bad one', async ({
  page,
  problems,
}) => {
  const settings = {
    ...sampleSettings(),
    hotkeys: { volumeUp: 'Alt+Shift+Up', volumeDown: 'Alt+Shift+Down' },
  };

  await installStubTray(page, {
    'household:getSnapshot': {
      ok: true,
      value: { revision: 1, discovery: 'idle', households: {}, groups: {}, players: {} },
    },
    'settings:get': { ok: true, value: settings },
    'diagnostics:get': {
      ok: true,
      value: {
        app: { version: '0.1.0', electron: '45.4.1', node: '22', os: 'darwin' },
        players: [],
        hotkeys: [
          {
            action: 'playPause',
            accelerator: 'MediaPlayPause',
            registered: true,
            problem: 'macOS needs permission for media keys.',
          },
          {
            action: 'volumeUp',
            accelerator: 'Alt+Shift+Up',
            registered: false,
            problem: 'Another app is using this shortcut.',
          },
          { action: 'volumeDown', accelerator: 'Alt+Shift+Down', registered: true, problem: null },
        ],
        account: { status: 'signedOut', lastTransport: null },
      },
    },
    'settings:update': {
      ok: false,
      error: {
        code: 'invalid-request',
        message: 'That request was not valid.',
        retryable: false,
        details: {
          code: null,
          description: null,
          uri: null,
          technical: 'hotkeys.volumeDown: Use keys joined with +',
        },
      },
    },
  });
  const server = await serveRenderer();
  try {
    await page.goto(server.url);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Settings', exact: true })
      .click();
    const list = page.getByRole('list', { name: 'Shortcuts that do not work' });
    await expect(list).toContainText('Volume up (Alt+Shift+Up): Another app is using this shortcut.');
    await expect(list).toContainText('Play/Pause (MediaPlayPause): macOS needs permission for media keys.');
    await expect(list).not.toContainText('Volume down');
    await page.getByLabel('Volume down shortcut').fill('<nonsense>');
    await page.getByLabel('Volume down shortcut').press('Tab');
    await expect(page.getByText('That request was not valid.')).toBeVisible();
    await expect(page.getByLabel('Volume down shortcut')).toHaveAttribute('aria-invalid', 'true');
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});
