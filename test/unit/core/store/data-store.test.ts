import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfBackend, STORE_FILE } from '../../../../main/core/store/conf-backend';
import {
  DataStore,
  DEFAULT_SETTINGS,
  memoryBackend,
  migrate,
  STORE_VERSION,
} from '../../../../main/core/store/data-store';

const fixture = () =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/store/v0-prototype.json'), 'utf8'));

describe('migrate', () => {
  it('starts fresh from nothing', () => {
    expect(migrate(undefined).data).toMatchObject({ version: STORE_VERSION, settings: DEFAULT_SETTINGS });
  });

  it('upgrades the v0 prototype layout, keeping the user’s nicknames and dropping bad hosts', () => {
    const { data, report } = migrate(fixture());
    expect(report.from).toBe(0);
    expect(data.version).toBe(STORE_VERSION);
    expect(data.nicknames).toEqual({ RINCON_000E58A0000001400: "Cook's corner" });
    expect(data.settings.hotkeyVolumeStep).toBe(4);
    expect(data.settings.manualHosts).toEqual(['192.168.1.20', 'kitchen.local:1443']);
    expect(data.account).toMatchObject({ legacy: { clientId: 'made-up-client-id' } });
  });

  it('salvages valid fields one by one', () => {
    const { data, report } = migrate({
      version: 1,
      settings: { hotkeyVolumeStep: 99, launchAtLogin: true, manualHosts: ['10.0.0.2'] },
      nicknames: { RINCON_1: 'Den', RINCON_2: 42 },
      pins: { RINCON_1: 'AA:BB', '': 'x' },
      players: {
        RINCON_1: { householdId: 'HH', name: 'Den', host: '10.0.0.2:1443', lastSeen: 5 },
        RINCON_3: 'x',
      },
    });
    expect(data.settings).toMatchObject({
      hotkeyVolumeStep: 5,
      launchAtLogin: true,
      manualHosts: ['10.0.0.2'],
    });
    expect(data.nicknames).toEqual({ RINCON_1: 'Den' });
    expect(data.pins).toEqual({ RINCON_1: 'AA:BB' });
    expect(Object.keys(data.players)).toEqual(['RINCON_1']);
    expect(report.dropped).toBe(3);
  });

  it('never throws on garbage', () => {
    for (const raw of [42, 'x', [], true, { version: 'nine' }, { version: 99, settings: null }]) {
      expect(() => migrate(raw)).not.toThrow();
    }
  });
});

describe('DataStore', () => {
  it('writes the migrated document back once', () => {
    const backend = memoryBackend(fixture());
    new DataStore(backend);
    expect((backend.value as { version: number }).version).toBe(STORE_VERSION);
  });

  it('merges settings updates and validates them', () => {
    const store = new DataStore(memoryBackend());
    const next = store.updateSettings({
      hotkeys: { volumeUp: 'F13' },
      notifications: { playerIds: ['RINCON_1'] },
    });
    expect(next.hotkeys).toEqual({ volumeUp: 'F13', volumeDown: DEFAULT_SETTINGS.hotkeys.volumeDown });
    expect(next.notifications).toEqual({ enabled: true, playerIds: ['RINCON_1'] });
    expect(store.updateSettings({ manualHosts: ['10.0.0.1', '10.0.0.1'] }).manualHosts).toEqual(['10.0.0.1']);
    expect(DEFAULT_SETTINGS).toMatchObject({ mediaKeys: true, xwayland: false });
    expect(store.updateSettings({ mediaKeys: false, xwayland: true })).toMatchObject({
      mediaKeys: false,
      xwayland: true,
    });
  });

  it('remembering a player never touches its nickname', () => {
    const store = new DataStore(memoryBackend());
    store.setNickname('RINCON_1', 'Den');
    store.rememberPlayer('RINCON_1', {
      householdId: 'HH',
      name: 'Living Room',
      host: '10.0.0.2:1443',
      lastSeen: 1,
    });
    expect(store.nickname('RINCON_1')).toBe('Den');
    store.setNickname('RINCON_1', null);
    expect(store.nickname('RINCON_1')).toBeUndefined();
  });
});

describe('conf backend', () => {
  it('persists across instances with a private file mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    new DataStore(createConfBackend(dir)).setPin('RINCON_1', 'AA:BB');
    expect(new DataStore(createConfBackend(dir)).getPin('RINCON_1')).toBe('AA:BB');
    if (process.platform !== 'win32') expect(statSync(join(dir, STORE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('moves a corrupted file to .bak and starts fresh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    writeFileSync(join(dir, STORE_FILE), '{"version":1,"settings":{"hotkeyVolumeStep":');
    const backend = createConfBackend(dir);
    expect(backend.backup).toBe(join(dir, `${STORE_FILE}.bak`));
    const store = new DataStore(backend);
    expect(store.settings).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir).sort()).toEqual([STORE_FILE, `${STORE_FILE}.bak`]);
    expect(readFileSync(join(dir, `${STORE_FILE}.bak`), 'utf8')).toContain('hotkeyVolumeStep');
  });
});
