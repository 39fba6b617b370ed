/**
 * The account wired in one place, the same way for the app, the demo and the CLI: vault → token client →
 * manager (the `AccountService`), the cloud client that takes its tokens from the manager, the controller's cloud
 * transport and the poller for households without a local connection. The Electron pieces come in as values:
 * `storage` (safeStorage in the app) and `opener` (shell.openExternal).
 */
import { systemClock, type Clock } from '../clock';
import type { Controller } from '../controller';
import { createUndiciRequester, type HttpRequester } from '../http-requester';
import type { Logger } from '../logger';
import { CloudClient } from '../sonos/cloud/cloud-client';
import { CloudPoller } from '../sonos/cloud/cloud-poller';
import { SonosCloudTransport } from '../sonos/cloud/cloud-transport';
import type { DataStore } from '../store/data-store';
import { AccountManager, type BrowserOpener } from './account-manager';
import { resolveEndpoints, type Endpoints } from './endpoints';
import type { SecretStorage } from './secret-storage';
import { TokenClient } from './token-client';
import { TokenVault } from './token-vault';

export interface CreateAccountOptions {
  controller: Controller;
  store: Pick<DataStore, 'account'>;
  storage: SecretStorage;
  opener: BrowserOpener;
  logger: Logger;
  endpoints?: Endpoints;
  /** A vault already opened (the CLI reads it before deciding how to connect). */
  vault?: TokenVault;
  requester?: HttpRequester;
  clock?: Clock;
  pollIntervalMs?: number;
  pendingLifetimeMs?: number;
  tokenTimeoutMs?: number;
  cloudTimeoutMs?: number;
}

export interface Account {
  service: AccountManager;
  vault: TokenVault;
  client: CloudClient;
  transport: SonosCloudTransport;
  poller: CloudPoller;
  /** The popover opened or closed (cloud households are polled only while it is open). */
  setPopoverVisible(visible: boolean): void;
  stop(): void;
}

export function createAccount(options: CreateAccountOptions): Account {
  const { controller } = options;
  const logger = options.logger.child('account');
  const clock = options.clock ?? systemClock;
  const endpoints = options.endpoints ?? resolveEndpoints();
  const requester = options.requester ?? createUndiciRequester();
  const vault = options.vault ?? new TokenVault({ store: options.store, storage: options.storage, logger });
  const tokenClient = new TokenClient({
    endpoints,
    requester,
    logger,
    now: () => clock.now(),
    ...(options.tokenTimeoutMs !== undefined ? { timeoutMs: options.tokenTimeoutMs } : {}),
  });

  // The manager and the cloud client need each other (tokens one way, households the other): tie them late.
  let poller: CloudPoller | null = null;
  let client: CloudClient | null = null;
  const service = new AccountManager({
    vault,
    tokenClient,
    endpoints,
    opener: options.opener,
    logger,
    clock,
    ...(options.pendingLifetimeMs !== undefined ? { pendingLifetimeMs: options.pendingLifetimeMs } : {}),
    afterSignIn: async () => {
      service.setHouseholds(await client!.households());
      useCloud();
      poller!.restart();
    },
  });
  client = new CloudClient({
    apiBase: endpoints.apiBase,
    auth: service,
    requester,
    logger: options.logger.child('cloud'),
    ...(options.cloudTimeoutMs !== undefined ? { timeoutMs: options.cloudTimeoutMs } : {}),
  });
  poller = new CloudPoller({
    client,
    model: controller.model,
    auth: service,
    logger: options.logger.child('cloud'),
    isLocal: (householdId) => controller.network.householdReachable(householdId),
    hasLocalPlayer: (playerId) => controller.network.hasPlayer(playerId),
    onHouseholds: (households) => service.setHouseholds(households),
    onChange: () => useCloud(),
    clock,
    ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}),
  });
  const transport = new SonosCloudTransport({
    client,
    auth: service,
    model: controller.model,
    logger: options.logger.child('cloud'),
    onCommandDone: () => poller?.refreshSoon(),
  });
  // The controller has a cloud path only while someone is signed in (it also stops waiting for refused players),
  // and words speakers' trouble by the account's state.
  const useCloud = (): void =>
    controller.setCloud(service.isSignedIn() ? transport : null, service.state().status);

  let wasSignedIn = service.isSignedIn();
  let was = '';
  const offChange = service.onChange((state) => {
    const signedIn = service.isSignedIn();
    // Only a change that can change what the core says: signing in or out, another status, other households.
    const now = `${state.status}|${state.households.map((h) => h.id).join()}`;
    if (signedIn === wasSignedIn && now === was) return;
    was = now;
    // Signed out or refused: the cloud-only households go; the transports follow.
    if (!signedIn && wasSignedIn) poller?.forget();
    wasSignedIn = signedIn;
    useCloud();
  });
  useCloud();

  return {
    service,
    vault,
    client,
    transport,
    poller,
    setPopoverVisible: (visible) => poller?.setVisible(visible),
    stop() {
      offChange();
      poller?.stop();
      service.stop();
      controller.setCloud(null);
    },
  };
}
