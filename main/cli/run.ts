/**
 * `tray-for-sonos` — the same core as the app, from a terminal. Exit code 0 on success; otherwise a one-line
 * message on stderr (or `{"error": …}` on stdout with --json) and: 1 the speakers could not do it, 2 usage,
 * 3 no such group or speaker.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkHost, shorten } from '../contract/host';
import type { AppErrorPayload, HouseholdSnapshot } from '../contract/model';
import { Controller } from '../core/controller';
import { createMdnsSource } from '../core/discovery/mdns-source';
import { createSsdpSource } from '../core/discovery/ssdp-source';
import type { Account } from '../core/account/create-account';
import { AppError, toErrorPayload } from '../core/errors';
import { createLogger, formatRecord, type LogLevel } from '../core/logger';
import { createConfBackend } from '../core/store/conf-backend';
import { DataStore } from '../core/store/data-store';
import { openCliAccount, readyFromCloud, runAccountCommand } from './account';
import { formatStatus } from './format';
import { forTheTerminal, usageMessage, type TerminalContext } from './messages';
import { MUSIC_COMMANDS, MUSIC_USAGE, runMusicCommand } from './rooms-music';
import { findGroup, findTarget, parseVolume } from './targets';
import { EXIT, UsageError } from './usage-error';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The next non-empty line of standard input (null at its end), after showing `prompt` on stderr if given. */
  readLine?: (prompt: string | null) => Promise<string | null>;
}

export { EXIT, UsageError };

const USAGE = `Usage: tray-for-sonos <command> [options]

Commands:
  discover                         list the speakers found on the network
  status                           groups, what is playing, volumes
  volume <target> <0-100|+N|-N>    set or change a group's or a speaker's volume
  mute <target> [on|off]           mute or unmute (default: on)
  play|pause|toggle|next|prev <group>
${MUSIC_USAGE}
  login [--paste] [--insecure-storage]
                                   sign in to your Sonos account (prints the sign-in address)
  logout                           sign out of your Sonos account
  account                          sign-in state, token expiry and households

<target> is a group or speaker name (case-insensitive) or id.

Options:
  --host ip[:port]   ask this address directly, skip discovery (repeatable)
  --cloud            control through your Sonos account instead of the local network
  --json             machine-readable output
  --data-dir DIR     where pinned certificates and settings live (also TFS_DATA_DIR)
  --ca FILE          verify speakers against this CA instead of pinning certificates
  --timeout MS       how long to wait for the speakers (default 8000)
  --verbose          log to stderr
  -h, --help

Sonos account (your own integration from developer.sonos.com; see README "Your own Sonos integration"):
  TFS_CLIENT_ID, TFS_CLIENT_SECRET, TFS_REDIRECT_URI   its key, secret and redirect address
  TFS_AUTH_BASE, TFS_API_BASE                          other servers (tests; plain http only for loopback)
  login prints an address to open; paste the address your browser ends on (--paste: read it from
  stdin without a prompt). The sign-in lives only as long as the command unless --insecure-storage
  writes it, unencrypted, into the 0600 settings file in the data folder (like gh auth login).`;

const TRANSPORT = {
  play: 'play',
  pause: 'pause',
  toggle: 'togglePlayPause',
  next: 'skipToNextTrack',
  prev: 'skipToPreviousTrack',
} as const;

/** Where the CLI keeps its data: beside the app's, in a folder of its own so the two never write one file. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  if (env.TFS_DATA_DIR) return env.TFS_DATA_DIR;
  const home = homedir();
  const base =
    process.platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : process.platform === 'win32'
        ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(base, 'Tray for Sonos', 'cli');
}

/** Stands in for a leading minus while arguments are parsed (U+2212 MINUS SIGN). */
export const NEGATIVE = '\u2212';

/**
 * `volume Kitchen -5` (or `-5.5`, `-5000`) is a value, not an option: anything that starts with a minus and a
 * digit is shielded from the option parser and handed back unchanged, so its own check says what is wrong.
 */
const shield = (arg: string): string => (/^-\d/.test(arg) ? `${NEGATIVE}${arg.slice(1)}` : arg);
const unshield = (arg: string): string => (arg.startsWith(NEGATIVE) ? `-${arg.slice(1)}` : arg);

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = false;
  const where: TerminalContext = { storePath: null };
  try {
    const { values, positionals } = parseArgs({
      args: argv.map(shield),
      allowPositionals: true,
      options: {
        host: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        ca: { type: 'string' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        cloud: { type: 'boolean', default: false },
        paste: { type: 'boolean', default: false },
        'insecure-storage': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json;
    const [command, ...args] = positionals.map(unshield);
    if (values.help || !command) {
      io.stdout(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const timeoutMs = values.timeout !== undefined ? Number(values.timeout) : 8_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new UsageError('--timeout must be a positive number of ms');

    const logLevel: LogLevel = values.verbose ? 'debug' : 'error';
    const logger = createLogger((record) => io.stderr(formatRecord(record)), { level: logLevel });
    const hosts = values.host ?? [];
    for (const host of hosts) {
      const check = checkHost(host);
      if (!check.ok) throw new UsageError(`--host ${check.message}`);
    }
    const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
    const store = new DataStore(
      openDataDir(
        dataDir,
        values['data-dir'] !== undefined
          ? '--data-dir'
          : io.env.TFS_DATA_DIR
            ? 'TFS_DATA_DIR'
            : 'the data folder',
      ),
      logger,
    );
    where.storePath = store.path;
    let ca: Buffer | null = null;
    if (values.ca) {
      try {
        ca = readFileSync(values.ca);
      } catch (error) {
        throw new AppError('invalid-request', `Cannot read the CA file ${values.ca}.`, {
          details: { technical: String(error) },
        });
      }
    }
    const cloud = values.cloud;
    const controller = new Controller({
      store,
      logger,
      ca,
      // With --cloud nothing goes to the LAN: the household comes from the account.
      ...(cloud
        ? { hostsOnly: [], preferCloud: true }
        : hosts.length > 0
          ? { hostsOnly: hosts }
          : { discoverySources: [createMdnsSource(), createSsdpSource()] }),
      replayIntents: false,
      discovery: { networkPollMs: 0 },
      connection: { commandTimeoutMs: Math.min(timeoutMs, 5_000), backoffMaxMs: 2_000 },
    });
    const account = openCliAccount({ controller, store, logger, io, timeoutMs });
    try {
      const context: Context = { controller, io, json, timeoutMs, hosts, cloud, account, dataDir };
      if (ACCOUNT_COMMANDS.has(command)) {
        return await runAccountCommand(command, args, context, {
          paste: values.paste,
          insecureStorage: values['insecure-storage'],
        });
      }
      if (MUSIC_COMMANDS.has(command))
        return await runMusicCommand(command, args, { ...context, ready: () => ready(context) });
      return await runCommand(command, args, context);
    } finally {
      account.stop();
      controller.stop();
    }
  } catch (error) {
    return fail(io, json, error, where);
  }
}

export interface Context {
  controller: Controller;
  io: CliIo;
  json: boolean;
  timeoutMs: number;
  hosts: string[];
  cloud: boolean;
  account: Account;
  dataDir: string;
}

const ACCOUNT_COMMANDS = new Set(['login', 'logout', 'account']);

async function runCommand(command: string, args: string[], context: Context): Promise<number> {
  const { controller, io, json } = context;
  switch (command) {
    case 'discover':
      return discover(context);
    case 'status': {
      expectArgs(args, 0, 'status');
      const snapshot = await ready(context);
      io.stdout(json ? JSON.stringify(snapshot) : formatStatus(snapshot));
      return EXIT.ok;
    }
    case 'volume': {
      expectArgs(args, 2, 'volume <target> <0-100|+N|-N>');
      const change = parseVolume(args[1]!);
      const snapshot = await ready(context);
      const target = findTarget(snapshot, args[0]!);
      const { name, id } = target.kind === 'group' ? target.group : target.player;
      let volume: number | null;
      let line: string;
      if (change.kind === 'set') {
        if (target.kind === 'group') await controller.setGroupVolume(id, change.volume);
        else await controller.setPlayerVolume(id, change.volume);
        volume = change.volume;
        line = `${name}: volume ${volume}`;
      } else {
        // A step on a volume not heard yet goes to the speaker as a step; the result is what the model shows.
        if (target.kind === 'group') await controller.adjustGroupVolume(id, change.delta);
        else await controller.adjustPlayerVolume(id, change.delta);
        const after = controller.snapshot();
        const records: Record<string, { volume: number | null }> =
          target.kind === 'group' ? after.groups : after.players;
        volume = Object.hasOwn(records, id) ? (records[id]?.volume ?? null) : null;
        const step = change.delta > 0 ? `+${change.delta}` : String(change.delta);
        line = volume !== null ? `${name}: volume ${volume}` : `${name}: volume changed by ${step}`;
      }
      io.stdout(json ? JSON.stringify({ target: { kind: target.kind, id, name }, volume }) : line);
      return EXIT.ok;
    }
    case 'mute': {
      if (args.length < 1 || args.length > 2) throw new UsageError('usage: mute <target> [on|off]');
      const mode = (args[1] ?? 'on').toLowerCase();
      if (mode !== 'on' && mode !== 'off') throw new UsageError('mute takes on or off');
      const muted = mode === 'on';
      const snapshot = await ready(context);
      const target = findTarget(snapshot, args[0]!);
      if (target.kind === 'group') await controller.setGroupMute(target.group.id, muted);
      else await controller.setPlayerMute(target.player.id, muted);
      const { name, id } = target.kind === 'group' ? target.group : target.player;
      io.stdout(
        json
          ? JSON.stringify({ target: { kind: target.kind, id, name }, muted })
          : `${name}: ${muted ? 'muted' : 'unmuted'}`,
      );
      return EXIT.ok;
    }
    case 'play':
    case 'pause':
    case 'toggle':
    case 'next':
    case 'prev': {
      expectArgs(args, 1, `${command} <group>`);
      const snapshot = await ready(context);
      const group = findGroup(snapshot, args[0]!);
      await controller.playback(group.id, TRANSPORT[command]);
      io.stdout(
        json
          ? JSON.stringify({
              target: { kind: 'group', id: group.id, name: group.name },
              action: TRANSPORT[command],
            })
          : `${group.name}: ${command}`,
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command “${shorten(command, 40)}” (see --help)`);
  }
}

async function discover(context: Context): Promise<number> {
  const { controller, io, json, hosts } = context;
  const found =
    hosts.length > 0 ? await Promise.allSettled(hosts.map((h) => controller.discovery.probe(h))) : null;
  if (!found) {
    controller.start();
    await new Promise((resolve) => setTimeout(resolve, Math.min(context.timeoutMs, 4_000)));
  }
  const players = controller.discovery.players();
  const failures = (found ?? []).flatMap((result, i) =>
    result.status === 'rejected' ? [{ host: hosts[i]!, error: toErrorPayload(result.reason) }] : [],
  );
  if (json) {
    io.stdout(
      JSON.stringify({
        players: players.map((p) => ({
          id: p.playerId,
          name: p.name,
          householdId: p.householdId,
          host: p.host,
          model: p.model,
          foundBy: p.foundBy,
        })),
        failures,
      }),
    );
  } else {
    for (const p of players)
      io.stdout(`${p.playerId}  ${p.name ?? '?'}  ${p.host}  (${p.foundBy.join(', ')})`);
    for (const f of failures) io.stderr(`${f.host}: ${f.error.message}`);
    if (players.length === 0 && failures.length === 0) io.stdout('No speakers found.');
  }
  return players.length === 0 && failures.length > 0 ? EXIT.failed : EXIT.ok;
}

/** Starts the core and waits for a full picture of the household. */
async function ready(context: Context): Promise<HouseholdSnapshot> {
  const { controller, hosts } = context;
  if (context.cloud) return readyFromCloud(context);
  controller.start();
  if (hosts.length > 0) {
    // With typed addresses, an address that answers nothing is the error to report, by its address.
    const results = await Promise.allSettled(hosts.map((host) => controller.discovery.probe(host)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ host: hosts[i]!, error: toErrorPayload(result.reason) }] : [],
    );
    if (failures.length === results.length) {
      const first = failures[0]!.error;
      if (failures.length === 1) throw new AppError(first.code, first.message, errorOptions(first));
      throw new AppError(
        first.code,
        failures.map((f) => `${f.host}: ${f.error.message}`).join(' '),
        errorOptions(first),
      );
    }
    if (!context.json)
      for (const f of failures) context.io.stderr(`tray-for-sonos: ${f.host}: ${f.error.message}`);
  }
  try {
    return await controller.whenComplete(context.timeoutMs);
  } catch (error) {
    const snapshot = controller.snapshot();
    const problem = Object.values(snapshot.players).find((p) => p.problem)?.problem;
    if (problem)
      throw new AppError(problem.code, problem.message, problem.details ? { details: problem.details } : {});
    if (Object.keys(snapshot.players).length === 0) {
      throw new AppError('unreachable', 'No speakers found. Pass --host with a speaker’s IP address.', {
        retryable: true,
      });
    }
    throw error;
  }
}

function errorOptions(error: AppErrorPayload): {
  retryable: boolean;
  details?: AppErrorPayload['details'] & object;
} {
  return { retryable: error.retryable, ...(error.details ? { details: error.details } : {}) };
}

/**
 * The data folder, refused with a clear word when it cannot be one (`--data-dir /etc/passwd`): an existing file,
 * or a path that runs through one.
 */
function openDataDir(dir: string, label: string): ReturnType<typeof createConfBackend> {
  let probe = resolve(dir);
  for (;;) {
    let stats: ReturnType<typeof statSync> | undefined;
    try {
      stats = statSync(probe, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR: a file sits somewhere on the way; the ancestor that exists says which.
      stats = undefined;
    }
    if (stats) {
      if (!stats.isDirectory()) {
        throw new UsageError(
          probe === resolve(dir)
            ? `${label} ${dir} is not a folder`
            : `${label} ${dir} cannot be created: ${probe} is a file, not a folder`,
        );
      }
      break;
    }
    const parent = dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  try {
    return createConfBackend(dir);
  } catch (error) {
    // The store's own refusals (a settings file that is a link) already say what is wrong.
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
    throw new AppError(
      'storage-unavailable',
      `Cannot use ${dir} as the data folder${code === 'EACCES' || code === 'EPERM' ? ': permission denied' : ''}.`,
      {
        details: { technical: error instanceof Error ? error.message : String(error) },
      },
    );
  }
}

function expectArgs(args: string[], count: number, usage: string): void {
  if (args.length !== count) throw new UsageError(`usage: ${usage}`);
}

function fail(io: CliIo, json: boolean, error: unknown, context: TerminalContext): number {
  if (error instanceof UsageError || (error as NodeJS.ErrnoException)?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    const message = usageMessage(error);
    if (json) io.stdout(JSON.stringify({ error: { code: 'invalid-request', message } }));
    else io.stderr(`tray-for-sonos: ${message}`);
    return EXIT.usage;
  }
  const payload = forTheTerminal(toErrorPayload(error), context);
  if (json) io.stdout(JSON.stringify({ error: payload }));
  else io.stderr(`tray-for-sonos: ${payload.message}`);
  if (payload.code === 'not-found') return EXIT.notFound;
  if (payload.code === 'invalid-request') return EXIT.usage;
  return EXIT.failed;
}
