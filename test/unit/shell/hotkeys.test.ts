import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../main/core/store/data-store';
import { ACCESSIBILITY_HINT, Hotkeys, type HotkeyAction } from '../../../main/shell/hotkeys';
import { globalShortcut, resetElectronFake } from '../../fakes/electron';

describe('Hotkeys', () => {
  beforeEach(() => resetElectronFake());

  it('registers the media keys and the volume accelerators, and runs their actions', () => {
    const ran: HotkeyAction[] = [];
    const hotkeys = new Hotkeys(globalShortcut, (action) => ran.push(action), 'linux');
    const status = hotkeys.apply(DEFAULT_SETTINGS);
    expect(status.map((s) => [s.action, s.accelerator, s.registered])).toEqual([
      ['playPause', 'MediaPlayPause', true],
      ['next', 'MediaNextTrack', true],
      ['previous', 'MediaPreviousTrack', true],
      ['volumeUp', 'Alt+Shift+Up', true],
      ['volumeDown', 'Alt+Shift+Down', true],
    ]);
    for (const accelerator of [
      'MediaPlayPause',
      'MediaNextTrack',
      'MediaPreviousTrack',
      'Alt+Shift+Up',
      'Alt+Shift+Down',
    ]) {
      globalShortcut.press(accelerator);
    }
    expect(ran).toEqual(['playPause', 'next', 'previous', 'volumeUp', 'volumeDown']);
  });

  it('reports a shortcut another app holds instead of failing silently', () => {
    globalShortcut.taken.add('Alt+Shift+Up');
    const hotkeys = new Hotkeys(globalShortcut, () => {}, 'win32');
    const status = hotkeys.apply(DEFAULT_SETTINGS);
    expect(status.find((s) => s.action === 'volumeUp')).toEqual({
      action: 'volumeUp',
      accelerator: 'Alt+Shift+Up',
      registered: false,
      problem: 'Another app is using this shortcut.',
    });
    expect(status.filter((s) => s.registered)).toHaveLength(4);
  });

  it('reports an accelerator Electron rejects', () => {
    const registry = {
      register: (accelerator: string) => {
        if (accelerator === 'Bogus+Key') throw new Error('conversion failure');
        return true;
      },
      unregister: () => {},
    };
    const status = new Hotkeys(registry, () => {}, 'linux').apply({
      ...DEFAULT_SETTINGS,
      hotkeys: { volumeUp: 'Bogus+Key', volumeDown: null },
    });
    expect(status.find((s) => s.action === 'volumeUp')?.problem).toMatch(/Not a valid shortcut/);
    expect(status.some((s) => s.action === 'volumeDown')).toBe(false);
  });

  it('re-applies cleanly when settings change, and shows the macOS accessibility hint', () => {
    const hotkeys = new Hotkeys(
      globalShortcut,
      () => {},
      'darwin',
      () => false,
    );
    hotkeys.apply(DEFAULT_SETTINGS);
    const status = hotkeys.apply({ ...DEFAULT_SETTINGS, hotkeys: { volumeUp: 'F15', volumeDown: 'F14' } });
    expect([...globalShortcut.registered.keys()].sort()).toEqual(
      ['F14', 'F15', 'MediaNextTrack', 'MediaPlayPause', 'MediaPreviousTrack'].sort(),
    );
    expect(status.find((s) => s.action === 'playPause')?.problem).toBe(ACCESSIBILITY_HINT);
    expect(status.find((s) => s.action === 'volumeUp')?.problem).toBeNull();
    hotkeys.dispose();
    expect(globalShortcut.registered.size).toBe(0);
  });
});
