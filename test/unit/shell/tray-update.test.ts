import { beforeEach, describe, expect, it } from 'vitest';
import { AppTray, updateLabel, type TrayMenuState } from '../../../main/shell/tray';
import { Menu, resetElectronFake, Tray, type FakeMenuItem } from '../../fakes/electron';
import { sampleSnapshot } from '../../support/samples';

const STATE: TrayMenuState = { playing: true, account: 'signedOut', launchAtLogin: false };

describe('tray: a downloaded update', () => {
  beforeEach(() => resetElectronFake());

  it('"Update to X.Y.Z — Restart" heads the menu once an update is ready, and installs it', () => {
    const log: string[] = [];
    const tray = new AppTray(
      {
        createTray: (path) => new Tray(path) as never,
        buildMenu: (template) => Menu.buildFromTemplate(template as FakeMenuItem[]),
        platform: 'linux',
        resourcesDir: '/res/tray',
      },
      {
        togglePopover: () => {},
        open: () => {},
        playPause: () => {},
        signIn: () => {},
        signOut: () => {},
        setLaunchAtLogin: () => {},
        quit: () => log.push('quit'),
        installUpdate: () => log.push('install'),
      },
    );
    const fake = Tray.instances.at(-1)!;
    tray.update(sampleSnapshot(), null, STATE);
    expect(fake.contextMenu!.items.some((i) => /Update/.test(i.label ?? ''))).toBe(false);

    tray.update(sampleSnapshot(), null, { ...STATE, update: { version: '0.2.0' } });
    const items = fake.contextMenu!.items;
    expect(items[0]).toMatchObject({ label: 'Update to 0.2.0 — Restart' });
    expect(items[1]).toMatchObject({ type: 'separator' });
    expect(items[2]).toMatchObject({ label: 'Open Tray for Sonos' });
    items[0]!.click!();
    expect(log).toEqual(['install']);
  });

  it('names the version when it is known', () => {
    expect(updateLabel('1.4.0-beta.2')).toBe('Update to 1.4.0-beta.2 — Restart');
    expect(updateLabel(null)).toBe('Update and Restart');
  });
});
