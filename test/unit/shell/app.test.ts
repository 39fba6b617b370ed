import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountService } from '../../../main/core/account/account-service';
import { memoryBackend } from '../../../main/core/store/data-store';
import { TRANSPORT } from '../../../main/contract/transport';
import { startShell, type ElectronModules } from '../../../main/shell/app';
import { APP_SCHEME } from '../../../main/shell/deep-links';
import * as fake from '../../fakes/electron';
import { sampleAccountState } from '../../support/samples';

const electron = fake as unknown as ElectronModules;

function fakeAccount(): AccountService & { urls: string[] } {
  const urls: string[] = [];
  const state = sampleAccountState();
  return {
    urls,
    state: () => state,
    onChange: () => () => {},
    configure: async () => state,
    signIn: async () => state,
    cancelSignIn: async () => state,
    submitCallback: async (url) => {
      urls.push(url);
      return state;
    },
    signOut: async () => state,
    setInsecureStorage: async () => state,
  };
}

const visibility: boolean[] = [];

async function start(
  argv: string[] = ['/opt/tray-for-sonos'],
  account: ReturnType<typeof fakeAccount> | null = null,
) {
  const running = startShell(electron, {
    appDir: '/opt/tray-for-sonos/resources/app/out',
    resourcesDir: '/opt/tray-for-sonos/resources/tray',
    argv,
    platform: 'linux',
    env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'tfs-xdg-')) },
    storeBackend: () => memoryBackend(),
    discoverySources: () => [],
    createAccount: account
      ? () => ({ account, setPopoverVisible: (visible) => visibility.push(visible) })
      : null,
  });
  expect(running).not.toBeNull();
  fake.app.markReady();
  const shell = await running!;
  return shell;
}

describe('startShell with the fake electron', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    fake.app.paths.userData = mkdtempSync(join(tmpdir(), 'tfs-data-'));
  });

  it('registers the app scheme and the single-instance lock before ready', () => {
    startShell(electron, {
      appDir: '/x/out',
      resourcesDir: '/x/tray',
      argv: ['/x'],
      platform: 'linux',
      env: {},
      storeBackend: () => memoryBackend(),
      discoverySources: () => [],
    });
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(fake.callsTo('app', 'requestSingleInstanceLock')).toHaveLength(1);
    expect(fake.app.defaultProtocolClients).toEqual([APP_SCHEME]);
    expect(fake.app.listenerCount('open-url')).toBe(1);
  });

  it('returns null and quits when another instance runs', () => {
    fake.app.singleInstanceLock = false;
    expect(
      startShell(electron, { appDir: '/x', resourcesDir: '/x', argv: ['/x'], platform: 'linux', env: {} }),
    ).toBeNull();
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
  });

  it('wires tray, popover, IPC, hotkeys and the app protocol once ready', async () => {
    const shell = await start();
    expect(fake.Tray.instances).toHaveLength(1);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.ipcMain.handlers.has(TRANSPORT.invoke)).toBe(true);
    expect([...fake.globalShortcut.registered.keys()]).toContain('MediaPlayPause');
    // First run: the popover opens (once its page is ready) so the user sees where the app lives.
    const window = fake.BrowserWindow.instances[0]!;
    expect(window.loadedUrl).toBe('app://popover/index.html');
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);

    await expect(
      fake.ipcMain.invoke(window.webContents, TRANSPORT.invoke, 'settings:get', undefined),
    ).resolves.toMatchObject({
      ok: true,
      value: { hotkeyVolumeStep: 5 },
    });
    const stranger = new fake.FakeWebContents('app://popover/index.html');
    await expect(
      fake.ipcMain.invoke(stranger, TRANSPORT.invoke, 'settings:get', undefined),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });

    // Settings that the shell applies: hotkeys re-registered.
    await fake.ipcMain.invoke(window.webContents, TRANSPORT.invoke, 'settings:update', {
      hotkeys: { volumeUp: 'F15' },
    });
    expect(fake.globalShortcut.registered.has('F15')).toBe(true);
    expect(fake.globalShortcut.registered.has('Alt+Shift+Up')).toBe(false);

    // Events reach the popover.
    shell.core.emit('popover:navigate', { view: 'settings' });
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: TRANSPORT.event,
      args: [{ event: 'popover:navigate', payload: { view: 'settings' } }],
    });

    fake.app.quit();
    expect(fake.globalShortcut.registered.size).toBe(0);
  });

  it('logs to the user data folder', async () => {
    await start();
    const log = readFileSync(join(fake.app.paths.userData!, 'logs', 'tray-for-sonos.log'), 'utf8');
    expect(log).toMatch(/INFO starting/);
  });

  it('a view asked for before the popover is up arrives once it is shown (tray menu, sign-in link)', async () => {
    await start(['/opt/tray-for-sonos', '--hidden']);
    const menu = fake.Tray.instances[0]!.contextMenu!;
    menu.item('Settings…')!.click!();
    const window = fake.BrowserWindow.instances[0]!;
    expect(window.webContents.sent).toEqual([]);
    window.emit('ready-to-show');
    const events = window.webContents.sent.map((m) => m.args[0] as { event: string; payload: unknown });
    expect(events.map((e) => e.event)).toEqual(['popover:shown', 'popover:navigate']);
    expect(events[1]!.payload).toEqual({ view: 'settings' });
  });

  it('macOS: opening the running app again shows the popover', async () => {
    await start(['/opt/tray-for-sonos', '--hidden']);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    fake.app.emit('activate');
    fake.BrowserWindow.instances[0]!.emit('ready-to-show');
    expect(fake.BrowserWindow.instances[0]!.visible).toBe(true);
  });

  it('stays hidden when started at login', async () => {
    await start(['/opt/tray-for-sonos', '--hidden']);
    const window = fake.BrowserWindow.instances[0];
    window?.emit('ready-to-show');
    expect(window?.visible ?? false).toBe(false);
  });

  it('hands callback URLs from argv, open-url and second instances to the account', async () => {
    const account = fakeAccount();
    const url = `${APP_SCHEME}://oauth/callback?code=made-up&state=s`;
    await start(['/opt/tray-for-sonos', url], account);
    fake.app.emit('open-url', { preventDefault() {} }, `${url}2`);
    fake.app.emit('second-instance', {}, ['/opt/tray-for-sonos', `${url}3`]);
    await vi.waitFor(() => expect(account.urls).toEqual([url, `${url}2`, `${url}3`]));
  });

  it('tells the account when the popover opens and closes (cloud polling runs only then)', async () => {
    visibility.length = 0;
    await start(['/opt/tray-for-sonos'], fakeAccount());
    const window = fake.BrowserWindow.instances[0]!;
    window.emit('ready-to-show');
    window.hide();
    expect(visibility).toEqual([true, false]);
  });

  it('sends a hidden popover no household patches, and a snapshot when it shows again', async () => {
    const shell = await start();
    const window = fake.BrowserWindow.instances[0]!;
    window.emit('ready-to-show');
    const events = () => window.webContents.sent.map((m) => (m.args[0] as { event: string }).event);
    window.hide();
    window.webContents.sent.length = 0;
    shell.controller.model.ensureHousehold('Sonos_Hidden.Household');
    shell.controller.model.setDiscovery('idle');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events()).toEqual([]);
    shell.popover.show(null, { focus: true });
    expect(events()).toContain('household:snapshot');
    expect(events()).not.toContain('household:patch');
    const snapshot = window.webContents.sent
      .map((m) => m.args[0] as { event: string; payload: { households: object } })
      .find((m) => m.event === 'household:snapshot')!.payload;
    expect(Object.keys(snapshot.households)).toEqual(['Sonos_Hidden.Household']);
  });

  it('wires the real Sonos account by default, its secrets sealed with safeStorage', async () => {
    const running = startShell(electron, {
      appDir: '/opt/tray-for-sonos/resources/app/out',
      resourcesDir: '/opt/tray-for-sonos/resources/tray',
      argv: ['/opt/tray-for-sonos'],
      platform: 'linux',
      env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'tfs-xdg-')) },
      storeBackend: () => memoryBackend(),
      discoverySources: () => [],
    });
    fake.app.markReady();
    await running;
    const window = fake.BrowserWindow.instances[0]!;
    const state = await fake.ipcMain.invoke(
      window.webContents,
      TRANSPORT.invoke,
      'account:getState',
      undefined,
    );
    expect(state).toMatchObject({
      ok: true,
      value: { status: 'signedOut', storage: 'encrypted', canEncrypt: true },
    });
    expect(fake.Tray.instances[0]!.contextMenu!.item('Sign in to Sonos…')).toBeDefined();
    fake.app.quit();
  });

  it('offers Sign in only when the account module is present', async () => {
    await start();
    const menu = fake.Tray.instances[0]!.contextMenu!;
    expect(menu.items.some((i) => /Sign in/.test(i.label ?? ''))).toBe(false);
    fake.resetElectronFake();
    fake.app.paths.userData = mkdtempSync(join(tmpdir(), 'tfs-data-'));
    await start(['/opt/tray-for-sonos'], fakeAccount());
    expect(fake.Tray.instances[0]!.contextMenu!.item('Sign in to Sonos…')).toBeDefined();
  });
});
