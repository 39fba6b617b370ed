/**
 * The demo's core: the controller on the simulated household and the account on the simulated Sonos cloud,
 * configured with the simulator's made-up integration, so Settings can sign in by pasting the address the
 * simulator's consent page sends the browser to. Nothing here is a real credential.
 */
import { createAccount, type Account } from '../core/account/create-account';
import { endpointsFromEnv } from '../core/account/endpoints';
import { noSecretStorage } from '../core/account/secret-storage';
import { createAppCore, type AppCore } from '../core/app-core';
import { ArtProxy } from '../core/art/art-proxy';
import { Controller } from '../core/controller';
import type { Logger } from '../core/logger';
import type { DataStore } from '../core/store/data-store';

/** The simulator's default integration (test/simulator/options.ts `DEFAULT_CLIENT`): made up, loopback only. */
export const SIM_CLIENT = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  redirectUri: 'https://bounce.example.test/sonos/',
} as const;

export interface DemoSimInfo {
  players: { host: string }[];
  cloud: { authBase: string; apiBase: string };
}

export interface DemoCore {
  controller: Controller;
  account: Account;
  core: AppCore;
  /** Album art the bridge serves under /art/. */
  art: ArtProxy;
  stop(): void;
}

export async function createDemoCore(options: {
  sim: DemoSimInfo;
  store: DataStore;
  logger: Logger;
  appVersion?: string;
  /** Where the demo "opens" the sign-in page: there is no app to hand it to, so it is printed. */
  openExternal?: (url: string) => Promise<void>;
}): Promise<DemoCore> {
  const { sim, store, logger } = options;
  const controller = new Controller({
    store,
    logger,
    // The simulated household is always asked; addresses added in Settings are asked too, as in the app (the demo
    // has no mDNS or SSDP: its speakers are on loopback).
    fixedHosts: [sim.players[0]!.host],
    discoverySources: [],
    discovery: { networkPollMs: 0 },
    connection: { backoffInitialMs: 200, backoffMaxMs: 2_000 },
    appVersion: options.appVersion ?? '0.0.0',
  });
  const account = createAccount({
    controller,
    store,
    // The demo keeps sign-ins in memory, as the app does where the OS has no keyring.
    storage: noSecretStorage,
    opener: { openExternal: options.openExternal ?? (async () => {}) },
    logger,
    endpoints: endpointsFromEnv({ TFS_AUTH_BASE: sim.cloud.authBase, TFS_API_BASE: sim.cloud.apiBase }),
  });
  await account.service.configure({ ...SIM_CLIENT });
  const art = new ArtProxy({
    trust: controller.trust,
    onRefused: (url, reason) => logger.info('album art refused', { url, reason }),
  });
  const core = createAppCore({
    controller,
    account: account.service,
    logger,
    art,
    onPopoverVisible: (visible) => account.setPopoverVisible(visible),
    // No page yet: the bridge says when one connects.
    popoverVisible: false,
  });
  return {
    controller,
    account,
    core,
    art,
    stop() {
      core.dispose();
      account.stop();
      controller.stop();
    },
  };
}
