import { beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../main/contract/model';
import { DEFAULT_SETTINGS } from '../../../main/core/store/data-store';
import { ACCESSIBILITY_HINT, Hotkeys, type HotkeyAction } from '../../../main/shell/hotkeys';
import {
  app,
  globalShortcut,
  isWayland,
  platformOf,
  PROFILES,
  resetElectronFake,
  systemPreferences,
  type ProfileName,
} from '../../fakes/electron';

/** As the shell builds it for this desktop (startShell turns the portal on before `ready` on Wayland). */
function hotkeys(profile: ProfileName, run: (action: HotkeyAction) => void = () => {}) {
  if (isWayland()) app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
  app.markReady();
  return new Hotkeys(globalShortcut, run, {
    platform: platformOf(profile),
    wayland: isWayland(),
    accessibilityTrusted: () =>
      platformOf(profile) === 'darwin' ? systemPreferences.isTrustedAccessibilityClient!(false) : true,
  });
}

const VOLUME_ONLY = ['Alt+Shift+Up', 'Alt+Shift+Down'];
const MEDIA = ['MediaPlayPause', 'MediaNextTrack', 'MediaPreviousTrack'];

describe.each(PROFILES)('Hotkeys on %s', (profile) => {
  beforeEach(() => resetElectronFake(profile));
  const linux = platformOf(profile) === 'linux';

  it('registers the volume accelerators everywhere and the media keys except on Linux (MPRIS has them there)', () => {
    const ran: HotkeyAction[] = [];
    const status = hotkeys(profile, (action) => ran.push(action)).apply(DEFAULT_SETTINGS);
    const expected = linux ? VOLUME_ONLY : [...MEDIA, ...VOLUME_ONLY];
    expect(status.map((s) => s.accelerator)).toEqual(expected);
    expect([...globalShortcut.registered.keys()].sort()).toEqual([...expected].sort());
    for (const accelerator of expected) globalShortcut.press(accelerator);
    expect(ran).toEqual(
      linux ? ['volumeUp', 'volumeDown'] : ['playPause', 'next', 'previous', 'volumeUp', 'volumeDown'],
    );
  });

  it('the Media keys setting off leaves them to other players', () => {
    const status = hotkeys(profile).apply({ ...DEFAULT_SETTINGS, mediaKeys: false });
    expect(status.map((s) => s.accelerator)).toEqual(VOLUME_ONLY);
    for (const key of MEDIA) expect(globalShortcut.isRegistered(key)).toBe(false);
  });

  it('says "requested" for what a Wayland portal was asked, and "registered" only where the OS confirmed it', () => {
    const status = hotkeys(profile).apply(DEFAULT_SETTINGS);
    for (const s of status) {
      expect(s.state).toBe(isWayland() ? 'requested' : 'registered');
      expect(s.registered).toBe(!isWayland());
    }
  });

  it('re-applying withdraws the old shortcuts, also where only unregisterAll withdraws a binding (Wayland)', () => {
    const keys = hotkeys(profile);
    keys.apply(DEFAULT_SETTINGS);
    keys.apply({ ...DEFAULT_SETTINGS, hotkeys: { volumeUp: 'F15', volumeDown: null } });
    expect(globalShortcut.isRegistered('Alt+Shift+Up')).toBe(false);
    expect(globalShortcut.isRegistered('Alt+Shift+Down')).toBe(false);
    expect(globalShortcut.isRegistered('F15')).toBe(true);
    keys.dispose();
    expect(globalShortcut.registered.size).toBe(0);
  });

  it('reports an accelerator Electron rejects', () => {
    app.markReady();
    const registry = {
      register: (accelerator: string) => {
        if (accelerator === 'Bogus+Key') throw new Error('conversion failure');
        return true;
      },
      unregisterAll: () => {},
    };
    const status = new Hotkeys(registry, () => {}, { platform: platformOf(profile) }).apply({
      ...DEFAULT_SETTINGS,
      hotkeys: { volumeUp: 'Bogus+Key', volumeDown: null },
    } satisfies Settings);
    expect(status.find((s) => s.action === 'volumeUp')).toMatchObject({
      state: 'failed',
      problem: expect.stringMatching(/Not a valid shortcut/),
    });
  });
});

describe('Hotkeys: a shortcut another app holds', () => {
  for (const profile of ['win32', 'linux-x11'] as const) {
    it(`${profile}: is reported, not silently lost`, () => {
      resetElectronFake(profile);
      globalShortcut.taken.add('Alt+Shift+Up');
      const status = hotkeys(profile).apply(DEFAULT_SETTINGS);
      expect(status.find((s) => s.action === 'volumeUp')).toEqual({
        action: 'volumeUp',
        accelerator: 'Alt+Shift+Up',
        registered: false,
        state: 'failed',
        problem: 'Another app is using this shortcut.',
      });
    });
  }
});

describe('Hotkeys on macOS without the Accessibility permission', () => {
  beforeEach(() => {
    resetElectronFake('darwin');
    systemPreferences.trustedAccessibility = false;
  });

  it('does not register the media keys, says why, and registers them once the permission is granted', () => {
    const keys = hotkeys('darwin');
    const status = keys.apply(DEFAULT_SETTINGS);
    for (const key of MEDIA) expect(globalShortcut.isRegistered(key)).toBe(false);
    expect(status.filter((s) => s.state === 'needs-permission').map((s) => s.accelerator)).toEqual(MEDIA);
    expect(status.find((s) => s.action === 'playPause')?.problem).toBe(ACCESSIBILITY_HINT);
    expect(status.find((s) => s.action === 'volumeUp')).toMatchObject({ state: 'registered', problem: null });
    expect(keys.needsPermission).toBe(true);
    // Checking never prompts: that is the user's choice, from Settings.
    expect(systemPreferences.accessibilityPrompts).toBe(0);

    expect(keys.recheck(DEFAULT_SETTINGS)).toBe(false);
    systemPreferences.trustedAccessibility = true;
    expect(keys.recheck(DEFAULT_SETTINGS)).toBe(true);
    for (const key of MEDIA) expect(globalShortcut.isRegistered(key)).toBe(true);
    expect(keys.needsPermission).toBe(false);
    expect(keys.status().every((s) => s.state === 'registered')).toBe(true);
  });
});
