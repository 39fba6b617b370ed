import { describe, expect, it } from 'vitest';
import { withUpdate } from '../../../../renderer/lib/settings-update';
import { sampleSettings } from '../../../support/samples';

describe('withUpdate', () => {
  it('replaces the fields given and keeps the rest', () => {
    const settings = sampleSettings();
    expect(withUpdate(settings, { launchAtLogin: true, hotkeyVolumeStep: 3 })).toEqual({
      ...settings,
      launchAtLogin: true,
      hotkeyVolumeStep: 3,
    });
  });

  it('merges nested objects one level deep, null included', () => {
    const settings = sampleSettings();
    const next = withUpdate(settings, {
      notifications: { playerIds: ['RINCON_1'] },
      hotkeys: { volumeUp: null },
    });
    expect(next.notifications).toEqual({ enabled: true, playerIds: ['RINCON_1'] });
    expect(next.hotkeys).toEqual({ volumeUp: null, volumeDown: settings.hotkeys.volumeDown });
    expect(withUpdate(next, { notifications: { enabled: false } }).notifications).toEqual({
      enabled: false,
      playerIds: ['RINCON_1'],
    });
  });

  it('leaves the original alone', () => {
    const settings = sampleSettings();
    withUpdate(settings, { notifications: { enabled: false }, manualHosts: [] });
    expect(settings).toEqual(sampleSettings());
  });
});
