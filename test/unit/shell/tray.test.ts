import { beforeEach, describe, expect, it } from 'vitest';
import {
  AppTray,
  tooltipText,
  trayIconPath,
  type TrayActions,
  type TrayMenuState,
} from '../../../main/shell/tray';
import {
  callsTo,
  DOUBLE_CLICK_MS,
  isLinux,
  Menu,
  platformOf,
  PROFILES,
  resetElectronFake,
  Tray,
  type FakeMenuItem,
} from '../../fakes/electron';
import { sampleGroup, sampleSnapshot } from '../../support/samples';

function setup(platform: NodeJS.Platform) {
  const log: string[] = [];
  const actions: TrayActions = {
    togglePopover: (bounds) => log.push(`toggle ${bounds.x},${bounds.y}`),
    open: (view) => log.push(`open ${view}`),
    playPause: () => log.push('playPause'),
    signIn: () => log.push('signIn'),
    signOut: () => log.push('signOut'),
    setLaunchAtLogin: (enabled) => log.push(`login ${enabled}`),
    quit: () => log.push('quit'),
  };
  const tray = new AppTray(
    {
      createTray: (path) => new Tray(path) as never,
      buildMenu: (template) => Menu.buildFromTemplate(template as FakeMenuItem[]),
      platform,
      resourcesDir: '/res/tray',
    },
    actions,
  );
  return { tray, fake: Tray.instances.at(-1)!, log };
}

const STATE: TrayMenuState = { playing: true, account: 'signedOut', launchAtLogin: false };

describe('tray', () => {
  beforeEach(() => resetElectronFake());

  it('uses a template image on macOS, an ICO on Windows and a PNG on Linux', () => {
    expect(trayIconPath('/r', 'darwin')).toBe('/r/trayTemplate.png');
    expect(trayIconPath('/r', 'win32')).toBe('/r/tray.ico');
    expect(trayIconPath('/r', 'linux')).toBe('/r/tray.png');
    expect(setup('win32').fake.image).toBe('/res/tray/tray.ico');
  });

  it('has Open, Play/Pause, Settings, Sign in/out, Launch at login, Diagnostics and Quit', () => {
    const { tray, fake, log } = setup('linux');
    tray.update(sampleSnapshot(), null, STATE);
    const menu = fake.contextMenu!;
    expect(menu.items.filter((i) => i.label).map((i) => i.label)).toEqual([
      'Open Tray for Sonos',
      'Pause',
      'Settings…',
      'Sign in to Sonos…',
      'Launch at login',
      'Diagnostics…',
      'Quit Tray for Sonos',
    ]);
    for (const label of [
      'Open Tray for Sonos',
      'Pause',
      'Settings…',
      'Sign in to Sonos…',
      'Launch at login',
      'Diagnostics…',
      'Quit Tray for Sonos',
    ]) {
      menu.item(label)!.click!();
    }
    expect(log).toEqual([
      'open main',
      'playPause',
      'open settings',
      'signIn',
      'login true',
      'open diagnostics',
      'quit',
    ]);

    tray.update(sampleSnapshot(), null, { playing: null, account: 'signedIn', launchAtLogin: true });
    expect(fake.contextMenu!.item('Play')).toMatchObject({ enabled: false });
    expect(fake.contextMenu!.item('Sign out of Sonos')).toBeDefined();
    expect(fake.contextMenu!.item('Launch at login')).toMatchObject({ checked: true });
    tray.update(sampleSnapshot(), null, { ...STATE, account: 'unavailable' });
    expect(fake.contextMenu!.items.some((i) => /Sign/.test(i.label ?? ''))).toBe(false);
  });

  it('tooltip names the group a click acts on, and its track', () => {
    const snapshot = sampleSnapshot();
    const kitchen = snapshot.groups['RINCON_000E58A0000001400:12']!;
    expect(tooltipText(snapshot, kitchen)).toBe('Kitchen — Off the Wall · Michael Jackson');
    const attic = sampleGroup({ id: 'x:1', name: 'Attic', playback: 'paused' });
    expect(tooltipText(snapshot, attic)).toBe('Attic — Off the Wall · Michael Jackson — paused');
    expect(tooltipText(snapshot, { ...kitchen, playback: 'buffering' })).toBe(
      'Kitchen — Off the Wall · Michael Jackson',
    );
    expect(tooltipText({ ...sampleSnapshot(), groups: {}, discovery: 'searching' }, null)).toMatch(
      /looking for speakers/,
    );
    const long = { ...kitchen, nowPlaying: { ...kitchen.nowPlaying!, title: 'x'.repeat(300) } };
    expect(tooltipText(snapshot, long).length).toBe(127);
  });

  it('rebuilds the menu only when what it shows changed', () => {
    const { tray, fake } = setup('linux');
    tray.update(sampleSnapshot(), null, STATE);
    const first = fake.contextMenu;
    tray.update(sampleSnapshot(), null, STATE);
    expect(fake.contextMenu).toBe(first);
    tray.update(sampleSnapshot(), null, { ...STATE, playing: false });
    expect(fake.contextMenu).not.toBe(first);
  });
});

describe.each(PROFILES)('tray clicks on %s', (profile) => {
  beforeEach(() => resetElectronFake(profile));

  it('a click toggles the popover at the icon; where clicks never come (Linux), the menu is attached', () => {
    const { tray, fake, log } = setup(platformOf(profile));
    fake.bounds = { x: 1200, y: 0, width: 22, height: 24 };
    tray.update(sampleSnapshot(), null, STATE);
    fake.userClick(10_000);
    if (isLinux()) {
      expect(log).toEqual([]);
      expect(fake.menuShownByHost).toBe(1);
      expect(fake.contextMenu!.item('Open Tray for Sonos')).toBeDefined();
    } else {
      expect(log).toEqual(['toggle 1200,0']);
      // An attached menu would replace the left click on macOS and Windows: it is only popped up on right-click.
      expect(fake.contextMenu).toBeNull();
    }
  });

  it('a quick second click (a double-click on macOS and Windows) toggles again, like any click', () => {
    const { tray, fake, log } = setup(platformOf(profile));
    fake.bounds = { x: 1200, y: 0, width: 22, height: 24 };
    tray.update(sampleSnapshot(), null, STATE);
    fake.userClick(10_000);
    fake.userClick(10_000 + DOUBLE_CLICK_MS / 2);
    expect(log).toEqual(isLinux() ? [] : ['toggle 1200,0', 'toggle 1200,0']);
  });

  it('right click opens the menu', () => {
    const { tray, fake, log } = setup(platformOf(profile));
    tray.update(sampleSnapshot(), null, STATE);
    fake.userRightClick();
    if (isLinux()) expect(fake.menuShownByHost).toBe(1);
    else expect(callsTo('Tray', 'popUpContextMenu')).toHaveLength(1);
    expect(log).toEqual([]);
  });
});
