/**
 * The account wired as the app wires it (createAccount), against the simulator's OAuth server and Control REST,
 * with a recording HTTP requester (to find the tokens the simulator issued) and a browser stand-in that walks the
 * simulator's consent page to the address a real browser would end on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAccount,
  type Account,
  type CreateAccountOptions,
} from '../../main/core/account/create-account';
import { resolveEndpoints } from '../../main/core/account/endpoints';
import type { SecretStorage } from '../../main/core/account/secret-storage';
import { Controller, type ControllerOptions } from '../../main/core/controller';
import { createUndiciRequester, type HttpRequester } from '../../main/core/http-requester';
import { createLogger, formatRecord, type LogRecord } from '../../main/core/logger';
import { createConfBackend } from '../../main/core/store/conf-backend';
import { DataStore } from '../../main/core/store/data-store';
import { DEFAULT_CLIENT, startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { fakeSecretStorage } from './fake-secret-storage';

export const SIM_CLIENT = {
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  redirectUri: DEFAULT_CLIENT.redirectUris[0]!,
};

export interface AccountHarness {
  sim: Simulator;
  controller: Controller;
  store: DataStore;
  account: Account;
  logs: LogRecord[];
  opened: string[];
  /** Every token-endpoint answer body, to know which tokens the simulator handed out. */
  tokenAnswers: string[];
  logText(): string;
  issuedSecrets(): string[];
  /** Configure + sign in by pasting the address the consent page redirects to. */
  signIn(): Promise<void>;
  stop(): Promise<void>;
}

/** What a browser does with the authorize page: for `consent`, press Allow (or Deny); returns where it ends up. */
export async function browse(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  if (first.status === 302) return first.headers.get('location')!;
  const html = await first.text();
  if (first.status !== 200) throw new Error(`authorize page answered ${first.status}: ${html.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(
      match[1]!,
      match[2]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }
  form.set('decision', decision);
  const action = new URL('/login/v3/oauth/consent', authorizeUrl);
  const answer = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`consent answered ${answer.status} without a redirect`);
  return location;
}

export async function startAccountHarness(
  options: {
    sim?: SimulatorOptions;
    /** No local connection at all: the household is reachable only through the cloud. */
    cloudOnly?: boolean;
    storage?: SecretStorage;
    controller?: Partial<ControllerOptions>;
    account?: Partial<CreateAccountOptions>;
    store?: DataStore;
  } = {},
): Promise<AccountHarness> {
  const sim = await startSimulator({ holdBackMs: 0, applyDelayMs: 0, seed: 5, ...options.sim });
  const logs: LogRecord[] = [];
  const logger = createLogger((r) => logs.push(r), { level: 'debug' });
  const store =
    options.store ?? new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-account-'))), logger);
  const controller = new Controller({
    store,
    logger,
    hostsOnly: options.cloudOnly ? [] : [sim.players[0]!.host],
    discovery: { networkPollMs: 0 },
    connection: { backoffInitialMs: 50, backoffMaxMs: 400, commandTimeoutMs: 3_000 },
    ...options.controller,
  });
  const tokenAnswers: string[] = [];
  const real = createUndiciRequester();
  const requester: HttpRequester = async (request) => {
    const response = await real(request);
    if (new URL(request.url).pathname.endsWith('/oauth/access')) tokenAnswers.push(response.text);
    return response;
  };
  const opened: string[] = [];
  const account = createAccount({
    controller,
    store,
    storage: options.storage ?? fakeSecretStorage(),
    opener: { openExternal: async (url) => void opened.push(url) },
    logger,
    endpoints: resolveEndpoints({ authBase: sim.info.cloud.authBase, apiBase: sim.info.cloud.apiBase }),
    requester,
    ...options.account,
  });
  controller.start();
  return {
    sim,
    controller,
    store,
    account,
    logs,
    opened,
    tokenAnswers,
    logText: () => logs.map(formatRecord).join('\n'),
    issuedSecrets() {
      const secrets = new Set<string>([SIM_CLIENT.clientSecret]);
      for (const text of tokenAnswers) {
        try {
          const body = JSON.parse(text) as Record<string, unknown>;
          for (const key of ['access_token', 'refresh_token'])
            if (typeof body[key] === 'string') secrets.add(body[key] as string);
        } catch {
          // not a token answer
        }
      }
      return [...secrets];
    },
    async signIn() {
      await account.service.configure(SIM_CLIENT);
      const state = await account.service.signIn();
      const landed = await browse(state.authorizeUrl!);
      const result = await account.service.submitCallback(landed);
      if (result.status !== 'signedIn') throw new Error(`sign-in failed: ${JSON.stringify(result.error)}`);
    },
    async stop() {
      account.stop();
      controller.stop();
      await sim.stop();
    },
  };
}

export function tokenRequests(sim: Simulator, grant?: 'authorization_code' | 'refresh_token') {
  return sim
    .cloudRequests()
    .filter((r) => r.path.endsWith('/oauth/access') && (grant === undefined || r.grantType === grant));
}
