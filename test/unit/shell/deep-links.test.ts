import { beforeEach, describe, expect, it } from 'vitest';
import { findCallbackUrl } from '../../../main/core/account/callback';
import { APP_SCHEME, setupDeepLinks } from '../../../main/shell/deep-links';
import { app, callsTo, resetElectronFake } from '../../fakes/electron';

const CALLBACK = `${APP_SCHEME}://oauth/callback?code=made-up-code&state=s1`;

function setup(overrides: Partial<Parameters<typeof setupDeepLinks>[0]> = {}) {
  const urls: string[] = [];
  let shown = 0;
  const { locked: ok, scheme } = setupDeepLinks({
    app,
    argv: ['/opt/Tray for Sonos/tray-for-sonos'],
    platform: 'linux',
    defaultApp: false,
    execPath: '/opt/Tray for Sonos/tray-for-sonos',
    appPath: undefined,
    onUrl: (url) => urls.push(url),
    onSecondInstance: () => (shown += 1),
    ...overrides,
  });
  return { ok, urls, scheme, shown: () => shown };
}

describe('deep links', () => {
  beforeEach(() => resetElectronFake());

  it('registers the scheme and takes the URL from macOS open-url (before ready)', () => {
    resetElectronFake('darwin');
    app.isPackaged = true;
    const { ok, urls, scheme } = setup({ platform: 'darwin' });
    expect(ok).toBe(true);
    expect(scheme).toEqual({ registered: true, reason: null });
    expect(app.defaultProtocolClients).toEqual([APP_SCHEME]);
    let prevented = false;
    app.emit('open-url', { preventDefault: () => (prevented = true) }, CALLBACK);
    expect(prevented).toBe(true);
    expect(urls).toEqual([CALLBACK]);
  });

  it('takes the URL from a second instance’s argv and shows the popover', () => {
    const { urls, shown } = setup({ platform: 'win32' });
    app.emit('second-instance', {}, ['C:\\Tray for Sonos.exe', '--', `"${CALLBACK}"`]);
    expect(urls).toEqual([CALLBACK]);
    expect(shown()).toBe(1);
    app.emit('second-instance', {}, ['C:\\Tray for Sonos.exe']);
    expect(urls).toHaveLength(1);
    expect(shown()).toBe(2);
  });

  it('takes the URL from its own argv on a cold start', () => {
    const { urls } = setup({ argv: ['/opt/tray-for-sonos', CALLBACK] });
    expect(urls).toEqual([CALLBACK]);
  });

  it('hands over and quits when another instance runs', () => {
    app.singleInstanceLock = false;
    const { ok, urls } = setup({ argv: ['/opt/tray-for-sonos', CALLBACK] });
    expect(ok).toBe(false);
    expect(urls).toEqual([]);
    expect(callsTo('app', 'quit')).toHaveLength(1);
  });

  it('registers the development form on Windows (electron.exe + the app path, made absolute)', () => {
    resetElectronFake('win32');
    // `electron .` from the project folder: argv[1] is '.', which means nothing once Windows starts us elsewhere.
    const { scheme } = setup({
      platform: 'win32',
      defaultApp: true,
      execPath: 'C:\\src\\node_modules\\electron\\dist\\electron.exe',
      appPath: '.',
      cwd: 'C:\\src',
    });
    expect(callsTo('app', 'setAsDefaultProtocolClient')[0]!.args).toEqual([
      APP_SCHEME,
      'C:\\src\\node_modules\\electron\\dist\\electron.exe',
      ['C:\\src'],
    ]);
    expect(scheme.registered).toBe(true);
    expect(app.protocolCommandWorks(APP_SCHEME)).toBe(true);
  });

  it('says why the scheme could not be registered: a macOS development build, a Linux without our desktop entry', () => {
    resetElectronFake('darwin');
    expect(setup({ platform: 'darwin' }).scheme).toEqual({
      registered: false,
      reason: expect.stringMatching(/only an installed copy/),
    });
    for (const profile of ['linux-x11', 'linux-wayland'] as const) {
      resetElectronFake(profile);
      app.env = { ...app.env, XDG_DATA_HOME: '/nonexistent/tfs12', XDG_DATA_DIRS: '/nonexistent/tfs12' };
      expect(setup({ platform: 'linux' }).scheme).toEqual({
        registered: false,
        reason: expect.stringMatching(/io\.github\.trayforsonos\.desktop/),
      });
    }
  });

  it('finds only our scheme in argv', () => {
    expect(
      findCallbackUrl(['--flag', 'https://example.org', 'IO.GITHUB.TRAYFORSONOS://oauth/callback']),
    ).toBe('IO.GITHUB.TRAYFORSONOS://oauth/callback');
    expect(findCallbackUrl(['io.github.trayforsonos.evil://x'])).toBeNull();
  });
});
