/**
 * Updates wired into the shell: the state reaches the popover and the tray, "Check now" and "Update — Restart"
 * go through the contract. electron-updater itself is stood in for by a small emitter that answers like its
 * AppUpdater (events, then `checkForUpdates` resolving); the real one runs in test/integration/shell/updater.test.ts.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TRANSPORT } from '../../../main/contract/transport';
import { memoryBackend } from '../../../main/core/store/data-store';
import { startShell, type ElectronModules } from '../../../main/shell/app';
import type { UpdaterLike } from '../../../main/shell/updater';
import * as fake from '../../fakes/electron';

const electron = fake as unknown as ElectronModules;

class StubUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowPrerelease = false;
  allowDowngrade = true;
  logger: unknown = null;
  isUpdateSupported = (): boolean => true;
  installs: [boolean | undefined, boolean | undefined][] = [];
  async checkForUpdates() {
    // The real one asks the feed first.
    await new Promise((done) => setImmediate(done));
    const updateInfo = { version: '0.2.0', files: [], path: '', sha512: '', releaseDate: '' };
    this.emit('update-available', updateInfo);
    const downloadPromise = Promise.resolve().then(() => {
      this.emit('update-downloaded', { ...updateInfo, downloadedFile: '/cache/pending/x.AppImage' });
      return ['/cache/pending/x.AppImage'];
    });
    return { isUpdateAvailable: true, updateInfo, versionInfo: updateInfo, downloadPromise };
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

async function start(stub: StubUpdater, env: NodeJS.ProcessEnv) {
  const running = startShell(electron, {
    appDir: '/opt/tray-for-sonos/resources/app/out',
    resourcesDir: '/opt/tray-for-sonos/resources/tray',
    argv: ['/opt/tray-for-sonos', '--hidden'],
    platform: 'linux',
    env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'tfs-xdg-')), ...env },
    storeBackend: () => memoryBackend(),
    discoverySources: () => [],
    createAccount: null,
    updates: {
      createUpdater: () => stub as unknown as UpdaterLike,
      resourcesPath: '/opt/tray-for-sonos/resources',
    },
  });
  fake.app.markReady();
  const shell = await running!;
  await fake.settle();
  return shell!;
}

describe('startShell with updates', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    fake.app.paths.userData = mkdtempSync(join(tmpdir(), 'tfs-data-'));
    fake.app.isPackaged = true;
    fake.app.version = '0.1.0';
  });

  it('"Check now" finds an update; popover and tray offer "Update to 0.2.0 — Restart", which installs it', async () => {
    const stub = new StubUpdater();
    const shell = await start(stub, { APPIMAGE: '/home/me/Apps/tray-for-sonos-0.1.0.AppImage' });
    await vi.waitFor(() => expect(stub.autoDownload).toBe(true));
    expect(stub.autoInstallOnAppQuit).toBe(true);
    expect(stub.allowDowngrade).toBe(false);
    fake.app.emit('activate');
    const window = fake.BrowserWindow.instances[0]!;

    const invoke = (channel: string) =>
      fake.ipcMain.invoke(window.webContents, TRANSPORT.invoke, channel, undefined);
    await expect(invoke('updates:check')).resolves.toMatchObject({ ok: true, value: { status: 'checking' } });
    await vi.waitFor(() => expect(shell.updater!.state().status).toBe('ready'));
    await expect(invoke('updates:getState')).resolves.toMatchObject({
      ok: true,
      value: { status: 'ready', availableVersion: '0.2.0', currentVersion: '0.1.0' },
    });
    const sent = window.webContents.sent.map(
      (m) => m.args[0] as { event: string; payload: { status?: string } },
    );
    expect(sent.filter((m) => m.event === 'updates:state').map((m) => m.payload.status)).toEqual(
      expect.arrayContaining(['checking', 'downloading', 'ready']),
    );

    const menu = fake.Tray.instances[0]!.contextMenu!;
    expect(menu.items[0]!.label).toBe('Update to 0.2.0 — Restart');
    menu.items[0]!.click!();
    expect(stub.installs).toEqual([[true, true]]);
    await expect(invoke('updates:install')).resolves.toMatchObject({ ok: true });
    expect(stub.installs).toHaveLength(2);
    shell.quit();
  });

  it('a copy run from an unpacked folder says updates are off, and installing is refused', async () => {
    const stub = new StubUpdater();
    const shell = await start(stub, {});
    await vi.waitFor(() => expect(shell.updater!.state().status).toBe('unsupported'));
    expect(shell.updater!.state().unsupported).toBe('not-installed');
    fake.app.emit('activate');
    const window = fake.BrowserWindow.instances[0]!;
    const result = await fake.ipcMain.invoke(
      window.webContents,
      TRANSPORT.invoke,
      'updates:install',
      undefined,
    );
    expect(result).toMatchObject({ ok: false, error: { message: 'No update is ready to install yet.' } });
    expect(stub.installs).toEqual([]);
    shell.quit();
  });
});
