import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noSecretStorage, type SecretStorage } from '../../../../main/core/account/secret-storage';
import { TokenVault } from '../../../../main/core/account/token-vault';
import { createLogger, formatRecord, type LogRecord } from '../../../../main/core/logger';
import { DataStore, memoryBackend } from '../../../../main/core/store/data-store';
import { fakeSecretStorage } from '../../../support/fake-secret-storage';

const FIXTURE = join(import.meta.dirname, '../../../fixtures/store/v0-prototype.json');
const v0 = (): Record<string, unknown> => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const LEGACY_SECRETS = [
  'made-up-client-secret-0001',
  'made-up-access-token-0001',
  'made-up-refresh-token-0001',
];
const tokens = {
  accessToken: 'made-up-access-token-A',
  refreshToken: 'made-up-refresh-token-A',
  expiresAt: 1_800_000_000_000,
  scope: 'playback-control-all',
};

function open(storage: SecretStorage, initial: unknown = {}) {
  const backend = memoryBackend(initial);
  const records: LogRecord[] = [];
  const logger = createLogger((r) => records.push(r), { level: 'debug' });
  const store = new DataStore(backend, logger);
  const vault = new TokenVault({ store, storage, logger });
  return {
    backend,
    store,
    vault,
    disk: () => JSON.stringify(backend.value),
    logs: () => records.map(formatRecord).join('\n'),
    reopen: (next: SecretStorage = storage) =>
      new TokenVault({ store: new DataStore(backend, logger), storage: next, logger }),
  };
}

describe('token vault', () => {
  it('writes secrets only sealed, and reads them back', () => {
    const storage = fakeSecretStorage();
    const { vault, disk, reopen } = open(storage);
    vault.setClient({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    vault.saveTokens(tokens);
    expect(vault.mode()).toBe('encrypted');
    for (const secret of ['made-up-secret-XYZ', tokens.accessToken, tokens.refreshToken])
      expect(disk()).not.toContain(secret);
    const again = reopen();
    expect(again.client()).toEqual({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    expect(again.session()).toMatchObject({ status: 'signedIn', ...tokens });
  });

  it('does not re-encrypt unchanged secrets on every save', () => {
    const storage = fakeSecretStorage();
    const { vault } = open(storage);
    vault.setClient({ clientId: 'c', redirectUri: 'https://b.test/', clientSecret: 'made-up-secret-XYZ' });
    vault.saveTokens(tokens);
    const calls = storage.encryptCalls;
    vault.setHouseholds([{ id: 'Sonos_H1', name: null }]);
    vault.setInsecureStorageAllowed(false);
    expect(storage.encryptCalls).toBe(calls);
  });

  it('keeps the newest refresh token when a refresh brings none', () => {
    const { vault } = open(fakeSecretStorage());
    vault.saveTokens(tokens);
    vault.saveTokens({ ...tokens, accessToken: 'made-up-access-token-B', refreshToken: null });
    expect(vault.session()).toMatchObject({
      accessToken: 'made-up-access-token-B',
      refreshToken: tokens.refreshToken,
    });
    vault.saveTokens({
      ...tokens,
      accessToken: 'made-up-access-token-C',
      refreshToken: 'made-up-refresh-token-C',
    });
    expect(vault.session()?.refreshToken).toBe('made-up-refresh-token-C');
  });

  it('without encryption keeps secrets in memory only, and says so', () => {
    const { vault, disk, reopen } = open(noSecretStorage);
    vault.setClient({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    vault.saveTokens(tokens);
    expect(vault.mode()).toBe('memory');
    expect(vault.canEncrypt()).toBe(false);
    expect(vault.session()?.accessToken).toBe(tokens.accessToken);
    for (const secret of ['made-up-secret-XYZ', tokens.accessToken, tokens.refreshToken])
      expect(disk()).not.toContain(secret);
    // The next run starts signed out (the memory-only session ended) but keeps the integration's id and address.
    const again = reopen();
    expect(again.session()).toBeNull();
    expect(again.client()).toEqual({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: null,
    });
  });

  it('Linux basic_text: memory only unless the user opts in to plaintext', () => {
    const storage = fakeSecretStorage({ backend: 'basic_text' });
    const { vault, disk, reopen } = open(storage);
    vault.saveTokens(tokens);
    expect(vault.mode()).toBe('memory');
    expect(vault.canEncrypt()).toBe(false);
    expect(disk()).not.toContain('"session":{');
    vault.setInsecureStorageAllowed(true);
    expect(vault.mode()).toBe('plaintext');
    expect(reopen().session()?.refreshToken).toBe(tokens.refreshToken);
    vault.setInsecureStorageAllowed(false);
    expect(disk()).not.toContain('"session":{');
    expect(reopen().session()).toBeNull();
  });

  it('with no storage at all and the opt-in, writes plaintext; a keyring later re-seals it', () => {
    const { vault, disk, backend } = open(noSecretStorage);
    vault.setInsecureStorageAllowed(true);
    vault.saveTokens(tokens);
    expect(disk()).toContain(tokens.refreshToken);
    const keyring = fakeSecretStorage();
    const upgraded = new TokenVault({
      store: new DataStore(backend),
      storage: keyring,
      logger: createLogger(() => {}),
    });
    expect(upgraded.mode()).toBe('encrypted');
    expect(upgraded.session()?.refreshToken).toBe(tokens.refreshToken);
    expect(JSON.stringify(backend.value)).not.toContain(tokens.refreshToken);
  });

  it('tokens sealed by another keyring cannot be read: kept as a record marked "sign in again"', () => {
    const { vault, reopen } = open(fakeSecretStorage());
    vault.setClient({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    vault.setHouseholds([{ id: 'Sonos_H1', name: 'Home' }]);
    vault.setNickname('Sonos_H1', 'Beach house');
    vault.saveTokens(tokens);
    const elsewhere = reopen(fakeSecretStorage());
    expect(elsewhere.session()).toMatchObject({
      status: 'needsReauth',
      accessToken: null,
      refreshToken: null,
      reason: 'not-carried-over',
    });
    expect(elsewhere.client()).toMatchObject({ clientId: 'client-1', clientSecret: null });
    expect(elsewhere.households()).toEqual([
      { id: 'Sonos_H1', name: 'Home', nickname: 'Beach house', listed: true },
    ]);
  });

  it('manual re-authorisation keeps the client, households and nicknames', () => {
    const { vault, reopen } = open(fakeSecretStorage());
    vault.setClient({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    vault.setHouseholds([{ id: 'Sonos_H1', name: null }]);
    vault.setNickname('Sonos_H1', 'Cabin');
    vault.saveTokens(tokens);
    vault.requireReauth('refused');
    const again = reopen();
    expect(again.session()).toMatchObject({
      status: 'needsReauth',
      accessToken: null,
      refreshToken: null,
      reason: 'refused',
    });
    expect(again.client().clientSecret).toBe('made-up-secret-XYZ');
    expect(again.households()).toEqual([{ id: 'Sonos_H1', name: null, nickname: 'Cabin', listed: true }]);
  });

  it('a new client id drops the session; the same one keeps it and its secret', () => {
    const { vault } = open(fakeSecretStorage());
    vault.setClient({
      clientId: 'client-1',
      redirectUri: 'https://b.test/',
      clientSecret: 'made-up-secret-XYZ',
    });
    vault.saveTokens(tokens);
    vault.setClient({ clientId: 'client-1', redirectUri: 'https://b2.test/' });
    expect(vault.session()?.status).toBe('signedIn');
    expect(vault.client().clientSecret).toBe('made-up-secret-XYZ');
    vault.setClient({ clientId: 'client-2', redirectUri: 'https://b2.test/' });
    expect(vault.session()).toBeNull();
    expect(vault.client().clientSecret).toBeNull();
  });

  it('household names follow Sonos; nicknames are never overwritten', () => {
    const { vault } = open(fakeSecretStorage());
    vault.setHouseholds([
      { id: 'Sonos_H1', name: 'One' },
      { id: 'Sonos_H2', name: null },
    ]);
    vault.setNickname('Sonos_H1', 'Mine');
    vault.setHouseholds([{ id: 'Sonos_H1', name: 'Renamed' }]);
    expect(vault.households()).toEqual([{ id: 'Sonos_H1', name: 'Renamed', nickname: 'Mine', listed: true }]);
    vault.setHouseholds([]);
    // Named by the user: kept (not listed) for when it comes back.
    expect(vault.households()).toEqual([
      { id: 'Sonos_H1', name: 'Renamed', nickname: 'Mine', listed: false },
    ]);
    vault.setHouseholds([{ id: 'Sonos_H1', name: 'Back' }]);
    expect(vault.households()).toEqual([{ id: 'Sonos_H1', name: 'Back', nickname: 'Mine', listed: true }]);
  });

  it('salvages what it can from a damaged record', () => {
    const { vault } = open(fakeSecretStorage(), {
      version: 1,
      settings: {},
      account: {
        version: 1,
        client: { clientId: 'client-1', redirectUri: 'https://b.test/', secret: null },
        session: { status: 'bogus' },
        households: { Sonos_H1: { name: 'A', nickname: 'Ours' }, Sonos_H2: { nickname: 42 } },
      },
    });
    expect(vault.client().clientId).toBe('client-1');
    expect(vault.session()).toBeNull();
    expect(vault.households()).toEqual([{ id: 'Sonos_H1', name: 'A', nickname: 'Ours', listed: true }]);
  });
});

describe('token vault: upgrading the 0.0.x prototype', () => {
  it('re-encrypts the plaintext secret and tokens and moves the household nicknames over', () => {
    const { vault, disk, store, logs } = open(fakeSecretStorage(), v0());
    for (const secret of LEGACY_SECRETS) expect(disk()).not.toContain(secret);
    expect(vault.client()).toEqual({
      clientId: 'made-up-client-id',
      redirectUri: 'https://bounce.example.test/sonos/',
      clientSecret: 'made-up-client-secret-0001',
    });
    expect(vault.session()).toMatchObject({
      status: 'signedIn',
      accessToken: 'made-up-access-token-0001',
      refreshToken: 'made-up-refresh-token-0001',
      expiresAt: 1_700_000_000_000,
    });
    expect(vault.households()).toEqual([
      { id: 'Sonos_ExampleHousehold.ExampleToken', name: null, nickname: 'Home', listed: true },
    ]);
    expect(store.account).not.toHaveProperty('legacy');
    // The player nicknames the data store migrated are untouched.
    expect(store.nickname('RINCON_000E58A0000001400')).toBe("Cook's corner");
    for (const secret of LEGACY_SECRETS) expect(logs()).not.toContain(secret);
  });

  it('without encryption: records kept with blank tokens, marked "sign in again"; nothing secret left on disk', () => {
    const { vault, disk } = open(noSecretStorage, v0());
    for (const secret of LEGACY_SECRETS) expect(disk()).not.toContain(secret);
    expect(vault.session()).toMatchObject({
      status: 'needsReauth',
      accessToken: null,
      refreshToken: null,
      reason: 'not-carried-over',
    });
    expect(vault.client()).toEqual({
      clientId: 'made-up-client-id',
      redirectUri: 'https://bounce.example.test/sonos/',
      clientSecret: null,
    });
    expect(vault.households()[0]?.nickname).toBe('Home');
  });

  it('one record at a time: each step is saved, and an interrupted upgrade resumes without doubling anything', () => {
    const backend = memoryBackend(v0());
    const writes: unknown[] = [];
    const write = backend.write;
    let failAt = 3;
    backend.write = (value) => {
      if (--failAt === 0) throw new Error('disk full');
      writes.push(structuredClone(value.account));
      write(value);
    };
    const logger = createLogger(() => {});
    const store = new DataStore(backend, logger);
    const storage = fakeSecretStorage();
    expect(() => new TokenVault({ store, storage, logger })).toThrow('disk full');
    // The client record moved first and alone; the tokens and households still wait in `legacy`.
    const saved = (backend.value as { account: Record<string, unknown> }).account;
    expect(saved.client).toMatchObject({ clientId: 'made-up-client-id' });
    expect(saved.session).toBeNull();
    expect(saved.legacy).toMatchObject({ account: { accessToken: 'made-up-access-token-0001' } });
    expect(saved.legacy).not.toHaveProperty('clientSecret');

    backend.write = write;
    const resumed = new TokenVault({ store: new DataStore(backend, logger), storage, logger });
    expect(resumed.client().clientSecret).toBe('made-up-client-secret-0001');
    expect(resumed.session()?.refreshToken).toBe('made-up-refresh-token-0001');
    expect(resumed.households()).toHaveLength(1);
    for (const secret of LEGACY_SECRETS) expect(JSON.stringify(backend.value)).not.toContain(secret);
  });

  it('never overwrites what this version already has (a nickname, a client, a session)', () => {
    const storage = fakeSecretStorage();
    const first = open(storage);
    first.vault.setClient({
      clientId: 'newer-client',
      redirectUri: 'https://new.test/',
      clientSecret: 'made-up-secret-NEW',
    });
    first.vault.setHouseholds([{ id: 'Sonos_ExampleHousehold.ExampleToken', name: null }]);
    first.vault.setNickname('Sonos_ExampleHousehold.ExampleToken', 'Our flat');
    first.vault.saveTokens(tokens);
    const account = first.store.account as Record<string, unknown>;
    const legacy = (v0() as Record<string, unknown>) ?? {};
    first.store.account = {
      ...account,
      legacy: {
        account: legacy.account,
        clientId: legacy.clientId,
        clientSecret: legacy.clientSecret,
        redirectUri: legacy.redirectUri,
      },
    };
    const vault = first.reopen();
    expect(vault.client()).toEqual({
      clientId: 'newer-client',
      redirectUri: 'https://new.test/',
      clientSecret: 'made-up-secret-NEW',
    });
    expect(vault.session()?.refreshToken).toBe(tokens.refreshToken);
    expect(vault.households()).toEqual([
      { id: 'Sonos_ExampleHousehold.ExampleToken', name: null, nickname: 'Our flat', listed: true },
    ]);
    for (const secret of LEGACY_SECRETS) expect(first.disk()).not.toContain(secret);
  });
});
