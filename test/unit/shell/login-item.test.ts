import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AUTOSTART_FILE,
  launchAtLoginEnabled,
  setLaunchAtLogin,
  startedAtLogin,
} from '../../../main/shell/login-item';
import { app, callsTo, resetElectronFake } from '../../fakes/electron';

describe('launch at login', () => {
  beforeEach(() => resetElectronFake());

  it('macOS: uses the login item API (macOS reports a login start through wasOpenedAtLogin)', () => {
    resetElectronFake('darwin');
    setLaunchAtLogin(true, app, {
      platform: 'darwin',
      env: {},
      execPath: '/Applications/Tray for Sonos.app',
    });
    expect(callsTo('app', 'setLoginItemSettings')[0]!.args[0]).toEqual({ openAtLogin: true });
    expect(launchAtLoginEnabled(app, { platform: 'darwin', env: {}, execPath: '' })).toBe(true);
  });

  it('Windows: uses the login item API with --hidden, and reads it back with the same arguments', () => {
    resetElectronFake('win32');
    const where = { platform: 'win32' as const, env: {}, execPath: 'C:\\Tray for Sonos.exe' };
    setLaunchAtLogin(true, app, where);
    expect(launchAtLoginEnabled(app, where)).toBe(true);
    setLaunchAtLogin(false, app, where);
    expect(launchAtLoginEnabled(app, where)).toBe(false);
    expect(callsTo('app', 'setLoginItemSettings').map((c) => c.args[0])).toEqual([
      { openAtLogin: true, args: ['--hidden'] },
      { openAtLogin: false, args: ['--hidden'] },
    ]);
  });

  it('Linux: writes and removes an XDG autostart entry, pointing at the AppImage when there is one', () => {
    const config = mkdtempSync(join(tmpdir(), 'tfs-xdg-'));
    const env = { XDG_CONFIG_HOME: config, APPIMAGE: '/home/me/Apps/Tray for Sonos.AppImage' };
    const where = { platform: 'linux' as const, env, execPath: '/tmp/.mount_x/tray-for-sonos' };
    setLaunchAtLogin(true, app, where);
    const entry = readFileSync(join(config, 'autostart', AUTOSTART_FILE), 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/home/me/Apps/Tray for Sonos.AppImage" --hidden');
    expect(launchAtLoginEnabled(app, where)).toBe(true);
    setLaunchAtLogin(false, app, where);
    expect(launchAtLoginEnabled(app, where)).toBe(false);
    expect(callsTo('app', 'setLoginItemSettings')).toEqual([]);
  });

  it('Windows: off when the user disabled the app in Task Manager (the Run key stays, but it will not start)', () => {
    resetElectronFake('win32');
    const where = { platform: 'win32' as const, env: {}, execPath: 'C:\\Tray for Sonos.exe' };
    setLaunchAtLogin(true, app, where);
    app.disableInTaskManager();
    expect(app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin).toBe(true);
    expect(launchAtLoginEnabled(app, where)).toBe(false);
    // Turning it on again in Settings is the user's own choice: the app is approved again.
    setLaunchAtLogin(true, app, where);
    expect(launchAtLoginEnabled(app, where)).toBe(true);
  });

  it('Linux: the XWayland choice is part of the autostart entry', () => {
    const config = mkdtempSync(join(tmpdir(), 'tfs-xdg-'));
    const where = {
      platform: 'linux' as const,
      env: { XDG_CONFIG_HOME: config },
      execPath: '/opt/t/tray-for-sonos',
    };
    setLaunchAtLogin(true, app, where, { xwayland: true });
    expect(readFileSync(join(config, 'autostart', AUTOSTART_FILE), 'utf8')).toContain(
      'Exec="/opt/t/tray-for-sonos" --hidden --ozone-platform=x11',
    );
    setLaunchAtLogin(true, app, where, { xwayland: false });
    expect(readFileSync(join(config, 'autostart', AUTOSTART_FILE), 'utf8')).toContain(
      'Exec="/opt/t/tray-for-sonos" --hidden\n',
    );
  });

  it('knows when it was started at login', () => {
    expect(startedAtLogin(['/app', '--hidden'], false)).toBe(true);
    expect(startedAtLogin(['/app'], true)).toBe(true);
    expect(startedAtLogin(['/app'], false)).toBe(false);
  });
});
