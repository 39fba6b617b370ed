import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkAccelerator, checkHotkeyPair } from '../../../main/contract/accelerator';
import { SettingsUpdateSchema } from '../../../main/contract/model';
import { createIpcRouter, type InvokeHandlers } from '../../../main/core/ipc/router';
import { DataStore, memoryBackend } from '../../../main/core/store/data-store';

const refusal = (text: string): string | null => {
  const check = checkAccelerator(text);
  return check.ok ? null : check.message;
};

describe('shortcuts in Electron’s accelerator syntax', () => {
  it('accepts modifiers and one key in any case, and spells them canonically', () => {
    expect(checkAccelerator('alt+shift+up')).toEqual({ ok: true, accelerator: 'Alt+Shift+Up' });
    expect(checkAccelerator('CmdOrCtrl + F5')).toEqual({ ok: true, accelerator: 'CommandOrControl+F5' });
    expect(checkAccelerator('Control+Alt+a')).toEqual({ ok: true, accelerator: 'Control+Alt+A' });
    expect(checkAccelerator('Super+Plus')).toEqual({ ok: true, accelerator: 'Super+Plus' });
    expect(checkAccelerator('Ctrl+num5')).toEqual({ ok: true, accelerator: 'Control+num5' });
    // Keys that type nothing may stand alone.
    expect(checkAccelerator('VolumeUp')).toEqual({ ok: true, accelerator: 'VolumeUp' });
    expect(checkAccelerator('F13')).toEqual({ ok: true, accelerator: 'F13' });
  });

  it('refuses what Electron would not register, or what would steal typing, and says why', () => {
    expect(refusal('Banana')).toBe('“Banana” is not a key. Use keys joined with +, such as Alt+Shift+Up.');
    expect(refusal('Alt+Banana')).toMatch(/^“Banana” is not a key/);
    expect(refusal('Alt++')).toMatch(/Write the plus key as Plus/);
    expect(refusal('Alt+Shift')).toMatch(/has no key, only modifiers/);
    expect(refusal('Alt+A+B')).toMatch(/has two keys \(A and B\)/);
    expect(refusal('Up+Alt')).toMatch(/the key comes last/);
    expect(refusal('Alt+alt+Up')).toMatch(/names Alt twice/);
    expect(refusal('A')).toMatch(/^A would take that key away from every other app/);
    expect(refusal('Shift+Up')).toMatch(/^Shift\+Up would take that key away/);
    expect(refusal('<nonsense>')).toMatch(/is not a key/);
    expect(refusal('')).toMatch(/^Enter a shortcut/);
  });

  it('refuses one shortcut for both volume actions, and the media keys the app already uses', () => {
    expect(checkHotkeyPair({ volumeUp: 'Alt+Shift+Up', volumeDown: 'Alt+Shift+Up' })).toBe(
      'Volume up and Volume down cannot both be Alt+Shift+Up: choose two different shortcuts.',
    );
    expect(checkHotkeyPair({ volumeUp: 'MediaPlayPause', volumeDown: null })).toMatch(
      /MediaPlayPause is the Play\/Pause media key already/,
    );
    expect(checkHotkeyPair({ volumeUp: 'Alt+Up', volumeDown: null })).toBeNull();
    expect(checkHotkeyPair({ volumeUp: null, volumeDown: null })).toBeNull();
  });

  it('the contract’s schema canonicalises, and the router and the store refuse alike (app and demo share both)', async () => {
    expect(v.parse(SettingsUpdateSchema, { hotkeys: { volumeUp: ' alt+shift+UP ' } })).toEqual({
      hotkeys: { volumeUp: 'Alt+Shift+Up' },
    });
    const store = new DataStore(memoryBackend());
    const router = createIpcRouter({
      'settings:update': (update) => store.updateSettings(update),
    } as InvokeHandlers);
    const banana = await router.handle('settings:update', { hotkeys: { volumeUp: 'Banana' } });
    expect(banana).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: '“Banana” is not a key. Use keys joined with +, such as Alt+Shift+Up.',
      },
    });
    // The default volume-up shortcut is Alt+Shift+Up: using it for volume down too is refused as a whole.
    const twice = await router.handle('settings:update', { hotkeys: { volumeDown: 'alt+shift+up' } });
    expect(twice).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: 'Volume up and Volume down cannot both be Alt+Shift+Up: choose two different shortcuts.',
      },
    });
    expect(store.settings.hotkeys).toEqual({ volumeUp: 'Alt+Shift+Up', volumeDown: 'Alt+Shift+Down' });
    const swapped = await router.handle('settings:update', {
      hotkeys: { volumeUp: 'Alt+Shift+Down', volumeDown: 'Alt+Shift+Up' },
    });
    expect(swapped).toMatchObject({ ok: true });
  });
});
