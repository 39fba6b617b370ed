import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createConfBackend,
  removeBackupWithSecrets,
  STORE_FILE,
} from '../../../../main/core/store/conf-backend';
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

  it('creates its data folder, and the folders above it, readable by the owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tfs-store-')), 'a', 'b');
    new DataStore(createConfBackend(dir)).setPin('RINCON_1', 'AA:BB');
    if (process.platform === 'win32') return;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o700);
  });

  it('leaves the mode of a folder that already exists alone (it may be one the user chose)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    chmodSync(dir, 0o755);
    new DataStore(createConfBackend(dir));
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a settings file that is a symbolic link, and leaves the file it points at alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    const target = join(mkdtempSync(join(tmpdir(), 'tfs-elsewhere-')), 'x.json');
    writeFileSync(target, '{}');
    symlinkSync(target, join(dir, STORE_FILE));
    expect(() => createConfBackend(dir)).toThrow(/link to another file/);
    expect(readFileSync(target, 'utf8')).toBe('{}');
  });

  it('removes a .bak copy that holds a token or secret, and keeps one that does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    const file = join(dir, STORE_FILE);
    const bak = `${file}.bak`;
    writeFileSync(bak, '{"account":{"client":{"secret":null},"session":null},"nicknames":{"R":"Den"');
    expect(removeBackupWithSecrets(file)).toBe(false);
    expect(existsSync(bak)).toBe(true);
    for (const text of [
      '{"account":{"session":{"status":"signedIn","accessToken":{"via":"plain","data":"x"',
      '{"account":{"client":{"clientId":"c","secret":{"via":"sealed","backend":"plaintext"',
      '{"clientSecret": "legacy", "rooms": {',
      '{"account": {"refresh_token": "r',
    ]) {
      writeFileSync(bak, text);
      expect(removeBackupWithSecrets(file), text).toBe(true);
      expect(existsSync(bak)).toBe(false);
    }
    expect(removeBackupWithSecrets(file)).toBe(false);
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

/** Ids that are also names on every object's prototype; a player or household may be called anything. */
const PROTO_IDS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

describe('ids that name prototype properties', () => {
  it('are nobody’s nickname, pin or player until set, and then only their own', () => {
    const store = new DataStore(memoryBackend());
    for (const id of PROTO_IDS) {
      expect(store.nickname(id), id).toBeUndefined();
      expect(store.getPin(id), id).toBeUndefined();
    }
    expect(store.knownPlayers().size).toBe(0);
    PROTO_IDS.forEach((id, n) => {
      store.setNickname(id, `Room ${n}`);
      store.setPin(id, `AA:0${n}`);
      store.rememberPlayer(id, {
        householdId: id,
        name: id,
        host: `10.0.0.${n + 1}:1443`,
        lastSeen: Date.now(),
      });
    });
    PROTO_IDS.forEach((id, n) => {
      expect(store.nickname(id)).toBe(`Room ${n}`);
      expect(store.getPin(id)).toBe(`AA:0${n}`);
      expect(store.knownPlayers().get(id)?.host).toBe(`10.0.0.${n + 1}:1443`);
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('survive the file on disk and a reload', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-store-'));
    const store = new DataStore(createConfBackend(dir));
    PROTO_IDS.forEach((id, n) => {
      store.setNickname(id, `Room ${n}`);
      store.setPin(id, `AA:0${n}`);
      store.rememberPlayer(id, { householdId: 'HH', name: id, host: null, lastSeen: Date.now() });
    });
    const again = new DataStore(createConfBackend(dir));
    PROTO_IDS.forEach((id, n) => {
      expect(again.nickname(id)).toBe(`Room ${n}`);
      expect(again.getPin(id)).toBe(`AA:0${n}`);
    });
    expect([...again.knownPlayers().keys()].sort()).toEqual([...PROTO_IDS].sort());
  });

  it('in a file written by hand or by someone else, are read as data, never as the prototype', () => {
    const text = `{"version":1,"nicknames":{"__proto__":{"polluted":"yes"},"toString":"Den"},
      "pins":{"__proto__":"AA:01","constructor":"AA:02"},
      "players":{"__proto__":{"householdId":"HH","name":"P","host":null,"lastSeen":${Date.now()}}}}`;
    const store = new DataStore(memoryBackend(JSON.parse(text)));
    expect(store.nickname('toString')).toBe('Den');
    // Not a valid nickname (an object): dropped like any other bad value, and nothing polluted.
    expect(store.nickname('__proto__')).toBeUndefined();
    expect(store.getPin('__proto__')).toBe('AA:01');
    expect(store.getPin('constructor')).toBe('AA:02');
    expect(store.knownPlayers().get('__proto__')?.name).toBe('P');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('what the store remembers is bounded', () => {
  const DAY = 24 * 3600_000;
  const player = (n: number, lastSeen: number) => ({
    householdId: 'HH',
    name: `P${n}`,
    host: `10.0.0.${n % 250}:1443`,
    lastSeen,
  });

  it('forgets players not seen for 30 days, and their pins, but keeps their nicknames', () => {
    let now = 100 * DAY;
    const backend = memoryBackend();
    const store = new DataStore(backend, undefined, { now: () => now });
    store.rememberPlayer('RINCON_OLD', player(1, now));
    store.setPin('RINCON_OLD', 'AA:01');
    store.setNickname('RINCON_OLD', 'Den');
    store.rememberPlayer('RINCON_NEW', player(2, now));
    now += 20 * DAY;
    store.rememberPlayer('RINCON_NEW', player(2, now));
    now += 11 * DAY;
    const later = new DataStore(backend, undefined, { now: () => now });
    expect([...later.knownPlayers().keys()]).toEqual(['RINCON_NEW']);
    expect(later.getPin('RINCON_OLD')).toBeUndefined();
    expect(later.nickname('RINCON_OLD')).toBe('Den');
  });

  it('writes a player seen again at most once a day', () => {
    let now = 100 * DAY;
    let writes = 0;
    const backend = memoryBackend();
    const write = backend.write;
    backend.write = (value) => void (writes++, write(value));
    const store = new DataStore(backend, undefined, { now: () => now });
    store.rememberPlayer('RINCON_1', player(1, now));
    const first = writes;
    for (let i = 0; i < 100; i++) {
      now += 60_000;
      store.rememberPlayer('RINCON_1', player(1, now));
    }
    expect(writes).toBe(first);
    now += DAY;
    store.rememberPlayer('RINCON_1', player(1, now));
    expect(writes).toBe(first + 1);
    expect(store.knownPlayers().get('RINCON_1')?.lastSeen).toBe(now);
  });

  it('keeps at most 100 players (the least recently seen go first) and 100 pins', () => {
    let now = 100 * DAY;
    const store = new DataStore(memoryBackend(), undefined, { now: () => now });
    store.setNickname('RINCON_0', 'Kept');
    for (let n = 0; n < 300; n++) {
      now += 1_000;
      store.setPin(`RINCON_${n}`, `AA:${n}`);
      store.rememberPlayer(`RINCON_${n}`, player(n, now));
    }
    const known = store.knownPlayers();
    expect(known.size).toBe(100);
    expect(known.has('RINCON_299')).toBe(true);
    expect(known.has('RINCON_199')).toBe(false);
    expect(store.getPin('RINCON_299')).toBe('AA:299');
    expect(store.getPin('RINCON_0')).toBeUndefined();
    expect(store.nickname('RINCON_0')).toBe('Kept');
    let pins = 0;
    for (let n = 0; n < 300; n++) if (store.getPin(`RINCON_${n}`) !== undefined) pins++;
    expect(pins).toBe(100);
  });

  it('drops pins of players it does not know before those of players it knows', () => {
    const store = new DataStore(memoryBackend());
    store.rememberPlayer('RINCON_HOME', player(1, Date.now()));
    store.setPin('RINCON_HOME', 'AA:HOME');
    for (let n = 0; n < 150; n++) store.setPin(`RINCON_GHOST${n}`, `AA:${n}`);
    expect(store.getPin('RINCON_HOME')).toBe('AA:HOME');
    expect(store.getPin('RINCON_GHOST149')).toBe('AA:149');
  });
});
