/**
 * Upgrading from the 0.0.x prototype's store file on disk, then using what was carried over against the
 * simulator: the migrated integration signs in, the migrated (unknown to this Sonos) refresh token is refused and
 * leads to manual re-authorisation, and the user's nicknames survive all of it.
 */
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/core/logger';
import { createConfBackend, STORE_FILE } from '../../../main/core/store/conf-backend';
import { DataStore } from '../../../main/core/store/data-store';
import { browse, startAccountHarness, type AccountHarness } from '../../support/account-harness';
import { fakeSecretStorage } from '../../support/fake-secret-storage';

const FIXTURE = join(import.meta.dirname, '../../fixtures/store/v0-prototype.json');
const LEGACY = { clientId: 'made-up-client-id', clientSecret: 'made-up-client-secret-0001' };
const LEGACY_SECRETS = [
  'made-up-client-secret-0001',
  'made-up-access-token-0001',
  'made-up-refresh-token-0001',
];

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('store migration from the v0 prototype', () => {
  it('re-encrypts on disk, keeps nicknames, and the carried-over integration signs in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-v0-'));
    const file = join(dir, STORE_FILE);
    copyFileSync(FIXTURE, file);
    const storage = fakeSecretStorage();
    const store = new DataStore(
      createConfBackend(dir),
      createLogger(() => {}),
    );
    h = await startAccountHarness({
      cloudOnly: true,
      store,
      storage,
      sim: {
        oauthMode: 'auto',
        clients: [{ ...LEGACY, redirectUris: ['https://bounce.example.test/sonos/'] }],
      },
    });
    const onDisk = readFileSync(file, 'utf8');
    for (const secret of LEGACY_SECRETS) expect(onDisk).not.toContain(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(onDisk).account).not.toHaveProperty('legacy');

    const service = h.account.service;
    expect(service.state()).toMatchObject({
      status: 'signedIn',
      storage: 'encrypted',
      client: {
        clientId: LEGACY.clientId,
        redirectUri: 'https://bounce.example.test/sonos/',
        hasSecret: true,
      },
      households: [{ id: 'Sonos_ExampleHousehold.ExampleToken', name: 'Home' }],
    });
    expect(store.nickname('RINCON_000E58A0000001400')).toBe("Cook's corner");
    expect(store.settings.hotkeyVolumeStep).toBe(4);

    // The prototype's refresh token means nothing to this Sonos: manual re-authorisation, nothing lost.
    await expect(service.refresh()).rejects.toMatchObject({ code: 'needs-reauth' });
    expect(service.state()).toMatchObject({
      status: 'needsReauth',
      client: { clientId: LEGACY.clientId, hasSecret: true },
      households: [{ id: 'Sonos_ExampleHousehold.ExampleToken', name: 'Home' }],
    });

    // The carried-over key and secret sign in again without being re-entered.
    const waiting = await service.signIn();
    const state = await service.submitCallback(await browse(waiting.authorizeUrl!));
    expect(state.status).toBe('signedIn');
    // Sonos lists only its household now; the prototype's one stays on file for its nickname, out of the list.
    expect(state.households).toEqual([{ id: h.sim.householdId, name: null }]);
    expect(h.account.vault.households()).toContainEqual({
      id: 'Sonos_ExampleHousehold.ExampleToken',
      name: null,
      nickname: 'Home',
      listed: false,
    });
    expect(store.nickname('RINCON_000E58A0000001400')).toBe("Cook's corner");
    for (const secret of [...LEGACY_SECRETS, ...h.issuedSecrets()])
      expect(readFileSync(file, 'utf8')).not.toContain(secret);
  });
});
