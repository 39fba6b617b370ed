/**
 * The CLI's Sonos account: `login`, `logout`, `account`, and the cloud path for `--cloud`. Each run is its own
 * process, so a sign-in lives in memory and ends with the command — unless `login --insecure-storage` writes the
 * tokens, unencrypted, into the data folder's settings file (mode 0600), the way `gh auth login
 * --insecure-storage` does. The integration comes from `TFS_CLIENT_ID`, `TFS_CLIENT_SECRET`, `TFS_REDIRECT_URI`.
 */
import { join } from 'node:path';
import type { AccountState, HouseholdSnapshot } from '../contract/model';
import { TIMEOUT_MESSAGE } from '../core/account/account-manager';
import { createAccount, type Account } from '../core/account/create-account';
import { endpointsFromEnv } from '../core/account/endpoints';
import { plainFileStorage } from '../core/account/secret-storage';
import { TokenVault } from '../core/account/token-vault';
import type { Controller } from '../core/controller';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import { removeBackupWithSecrets, STORE_FILE } from '../core/store/conf-backend';
import type { DataStore } from '../core/store/data-store';
import type { CliIo, Context } from './run';
import { EXIT, UsageError } from './usage-error';

export function openCliAccount(options: {
  controller: Controller;
  store: DataStore;
  logger: Logger;
  io: CliIo;
  timeoutMs: number;
}): Account {
  const { store, logger, io } = options;
  const vault = new TokenVault({ store, storage: plainFileStorage, logger: logger.child('account') });
  return createAccount({
    controller: options.controller,
    store,
    vault,
    storage: plainFileStorage,
    logger,
    endpoints: endpointsFromEnv(io.env),
    // A terminal has no browser to hand the page to: `login` prints the address instead.
    opener: { openExternal: async () => {} },
    tokenTimeoutMs: Math.max(options.timeoutMs, 5_000),
    cloudTimeoutMs: Math.max(options.timeoutMs, 5_000),
  });
}

/** The integration from the environment, saved like the app's Settings (the secret only as tokens are). */
async function configureFromEnv(account: Account, env: NodeJS.ProcessEnv, required: boolean): Promise<void> {
  const clientId = env.TFS_CLIENT_ID?.trim();
  const clientSecret = env.TFS_CLIENT_SECRET?.trim();
  const redirectUri = env.TFS_REDIRECT_URI?.trim();
  const stored = account.service.state().client;
  if (clientId && (redirectUri || stored.redirectUri)) {
    await account.service.configure({
      clientId,
      redirectUri: redirectUri || stored.redirectUri!,
      ...(clientSecret ? { clientSecret } : {}),
    });
  }
  const client = account.service.state().client;
  if (required && (!client.clientId || !client.redirectUri || !client.hasSecret)) {
    throw new UsageError(
      'login needs your Sonos integration: set TFS_CLIENT_ID, TFS_CLIENT_SECRET and TFS_REDIRECT_URI (see README “Your own Sonos integration”)',
    );
  }
}

export async function runAccountCommand(
  command: string,
  args: string[],
  context: Context,
  flags: { paste: boolean; insecureStorage: boolean },
): Promise<number> {
  if (args.length > 0)
    throw new UsageError(`usage: ${command}${command === 'login' ? ' [--paste] [--insecure-storage]' : ''}`);
  switch (command) {
    case 'login':
      return login(context, flags);
    case 'logout': {
      await context.account.service.signOut();
      // Everything `login --insecure-storage` wrote goes with the sign-in: the client secret, the opt-in itself,
      // and a `.bak` copy of a damaged settings file that still held tokens.
      context.account.vault.forgetClientSecret();
      const state = await context.account.service.setInsecureStorage(false);
      removeBackupWithSecrets(join(context.dataDir, STORE_FILE));
      context.io.stdout(context.json ? JSON.stringify(state) : 'Signed out of your Sonos account.');
      return EXIT.ok;
    }
    default:
      return showAccount(context);
  }
}

async function login(context: Context, flags: { paste: boolean; insecureStorage: boolean }): Promise<number> {
  const { account, io, json } = context;
  const service = account.service;
  await configureFromEnv(account, io.env, true);
  if (!io.readLine) throw new UsageError('login needs a terminal or --paste with the address on stdin');
  await service.setInsecureStorage(flags.insecureStorage);
  const waiting = await service.signIn();
  const url = waiting.authorizeUrl!;
  if (json) io.stdout(JSON.stringify({ authorizeUrl: url, expiresAt: waiting.pendingExpiresAt }));
  else {
    io.stdout('Open this address in your browser and allow access:');
    io.stdout('');
    io.stdout(`  ${url}`);
    io.stdout('');
  }
  // The 7-minute limit runs while we wait for the paste.
  let stopWaiting: (state: AccountState) => void = () => {};
  const expired = new Promise<AccountState>((resolve) => (stopWaiting = resolve));
  const off = service.onChange((state) => {
    if (state.error?.code === 'auth-timeout') stopWaiting(state);
  });
  let pasted: string | AccountState | null;
  try {
    pasted = await Promise.race([
      io.readLine(flags.paste ? null : 'Then paste the address your browser ended on, and press Enter:\n'),
      expired,
    ]);
  } finally {
    off();
  }
  if (pasted === null) {
    await service.cancelSignIn();
    throw new AppError('auth-cancelled', 'No address was pasted; sign-in cancelled.');
  }
  if (typeof pasted !== 'string') throw new AppError('auth-timeout', TIMEOUT_MESSAGE, { retryable: true });
  const state = await service.submitCallback(pasted);
  if (state.status !== 'signedIn') {
    const error = state.error;
    throw new AppError(error?.code ?? 'unexpected', error?.message ?? 'Sign-in did not finish.', {
      retryable: error?.retryable ?? true,
      ...(error?.details ? { details: error.details } : {}),
    });
  }
  if (json) {
    io.stdout(JSON.stringify(state));
    return EXIT.ok;
  }
  io.stdout(`Signed in to your Sonos account. ${householdLine(state)}`);
  if (state.storage === 'plaintext') {
    io.stdout(
      `Your sign-in is saved unencrypted, readable only by you, in ${context.dataDir}; later commands use it. Run \`tray-for-sonos logout\` to remove it.`,
    );
  } else {
    io.stdout(
      'Your sign-in is kept in memory only and ends with this command. To stay signed in for later commands, run `tray-for-sonos login --insecure-storage` (it writes the tokens, unencrypted, into a 0600 file in the data folder, like `gh auth login --insecure-storage`).',
    );
  }
  return EXIT.ok;
}

async function showAccount(context: Context): Promise<number> {
  const { account, io, json } = context;
  await configureFromEnv(account, io.env, false);
  let problem: string | null = null;
  if (account.service.isSignedIn()) {
    // Ask Sonos: this also renews an expired token, and shows whether the sign-in still works.
    try {
      account.service.setHouseholds(await account.client.households());
    } catch (error) {
      problem = error instanceof AppError ? error.message : String(error);
    }
  }
  const state = account.service.state();
  if (json) {
    io.stdout(JSON.stringify(state));
    return EXIT.ok;
  }
  const status = {
    signedIn: 'signed in',
    needsReauth: 'signed out — sign in again',
    signedOut: 'not signed in',
    awaitingBrowser: 'signing in',
    exchanging: 'signing in',
  }[state.status];
  io.stdout(`Sonos account: ${status}`);
  io.stdout(
    `Integration: ${state.client.clientId ?? 'not set (TFS_CLIENT_ID)'}${state.client.redirectUri ? `, redirect ${state.client.redirectUri}` : ''}${state.client.clientId && !state.client.hasSecret ? ' (secret not stored)' : ''}`,
  );
  if (state.expiresAt !== null) io.stdout(`Access token expires: ${new Date(state.expiresAt).toISOString()}`);
  if (state.status === 'signedIn')
    io.stdout(
      `Stored: ${state.storage === 'plaintext' ? `unencrypted in ${context.dataDir}` : 'in memory only'}`,
    );
  if (state.households.length > 0) io.stdout(householdLine(state));
  if (state.error) io.stdout(state.error.message);
  if (problem) io.stderr(`tray-for-sonos: ${problem}`);
  return EXIT.ok;
}

function householdLine(state: AccountState): string {
  if (state.households.length === 0) return 'No households.';
  return `Households: ${state.households.map((h) => (h.name ? `${h.name} (${h.id})` : h.id)).join(', ')}`;
}

/** `--cloud`: the household as the account's cloud reports it. */
export async function readyFromCloud(context: Context): Promise<HouseholdSnapshot> {
  const { account, controller, io } = context;
  await configureFromEnv(account, io.env, false);
  if (!account.service.isSignedIn()) {
    const needsReauth = account.service.state().status === 'needsReauth';
    throw new AppError(
      needsReauth ? 'needs-reauth' : 'not-signed-in',
      needsReauth
        ? 'Your Sonos sign-in has expired: run `tray-for-sonos login --insecure-storage` again.'
        : 'Not signed in to Sonos: run `tray-for-sonos login --insecure-storage` first.',
    );
  }
  // Asked directly so that a refused sign-in or an outage is reported rather than an empty household.
  account.service.setHouseholds(await account.client.households());
  controller.start();
  await account.poller.pollNow();
  const snapshot = controller.snapshot();
  if (Object.keys(snapshot.groups).length === 0)
    throw new AppError('unreachable', 'Sonos lists no speakers for this account.', { retryable: true });
  return snapshot;
}
