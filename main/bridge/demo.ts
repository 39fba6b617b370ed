/**
 * `npm run demo`: the real core and the real popover against the built-in simulated household, in a browser.
 * Starts the simulator (`npm run sim`, 5 speakers in 3 groups, music playing), the core with a fresh data folder
 * and the account on the simulated Sonos cloud (demo-core.ts), and the bridge; prints the address to open. `--json` prints one line first:
 * `{"url": "http://127.0.0.1:PORT/?token=…", "sim": <the simulator's own first line>, "mpris": <bus name or null>}`.
 * `--mpris` also publishes the hotkey group on the session bus (`DBUS_SESSION_BUS_ADDRESS`) as the app does on
 * Linux: `playerctl -p tray_for_sonos status` then works on the simulated speakers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLogger, formatRecord } from '../core/logger';
import { startMpris } from '../core/mpris/mpris-service';
import { createConfBackend } from '../core/store/conf-backend';
import { DataStore } from '../core/store/data-store';
import { startBridgeServer } from './bridge-server';
import { createDemoCore } from './demo-core';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER = join(ROOT, 'out/renderer');
const SIM_CLI = join(ROOT, 'test/simulator/cli.ts');
const DEFAULT_SIM_ARGS = ['--players', '5', '--groups', '1+2,3+4,5'];

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Runs the real core and the real popover against a simulated Sonos household, in your browser.

Options:
  --port N            serve the popover on 127.0.0.1:N (default: a free port)
  --sim-args "…"      options for the simulator, such as "--players 3 --groups 1+2,3" (npm run sim -- --help)
  --json              print one line of JSON first: {"url": …, "sim": <the simulator's info>, "mpris": …}
  --mpris             also publish the playing group on the session bus, as the app does on Linux
                      (then playerctl -p tray_for_sonos status works)
  --verbose           log the core's debug messages to stderr
  -h, --help          show this and exit`;

export interface DemoOptions {
  json: boolean;
  /** Publish the hotkey group on the session bus (MPRIS), as the app does on Linux. */
  mpris: boolean;
  port: number;
  simArgs: string[];
  verbose: boolean;
  /** Build the popover before starting (what \`npm run demo\` asks for). */
  build: boolean;
  help: boolean;
}

/** Reads the demo's options, before anything is built or started; throws a message for people on bad input. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinOptionValues(argv, '--sim-args'),
      options: {
        json: { type: 'boolean', default: false },
        mpris: { type: 'boolean', default: false },
        port: { type: 'string' },
        'sim-args': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        build: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /option '([^']*)'/i.exec(message)?.[1];
    throw new Error(unknown ? `unknown option “${unknown.slice(0, 40)}”` : message);
  }
  const port = values.port !== undefined ? Number(values.port) : 0;
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535)
    throw new Error(
      `--port must be a port number from 0 to 65535, not “${(values.port ?? '').slice(0, 20)}”`,
    );
  return {
    json: values.json,
    mpris: values.mpris,
    port,
    simArgs: values['sim-args'] !== undefined ? splitArgs(values['sim-args']) : DEFAULT_SIM_ARGS,
    verbose: values.verbose,
    build: values.build,
    help: values.help,
  };
}

/** `vite build` of the popover, its output kept off stdout (the first stdout line is the demo's own). */
function buildRenderer(): void {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const built = spawnSync(
    process.execPath,
    [vite, 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (built.status !== 0) throw new Error('building the popover failed (see above)');
}

export interface SimInfo {
  householdId: string;
  players: { id: string; name: string; host: string; wss: string }[];
  cloud: { authBase: string; apiBase: string };
  control: string;
}

/** Splits `--sim-args "--players 3 --groups '1+2,3'"` like a shell would, for the common quoting. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) out.push(match[1] ?? match[2] ?? match[3]!);
  return out;
}

function startSimProcess(args: string[]): Promise<{ child: ChildProcess; info: SimInfo; line: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SIM_CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const fail = (error: Error): void => {
      lines.close();
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) =>
      fail(new Error(`the simulator exited with code ${String(code)} before it started`)),
    );
    lines.once('line', (line) => {
      child.removeAllListeners('exit');
      try {
        resolvePromise({ child, info: JSON.parse(line) as SimInfo, line });
      } catch (error) {
        child.kill('SIGTERM');
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/**
 * `--sim-args "--players 3"` as two words: parseArgs refuses a value that looks like an option (every simulator
 * option does), so the pair is glued into `--sim-args=--players 3` first.
 */
export function joinOptionValues(argv: string[], option: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === option && i + 1 < argv.length) out.push(`${option}=${argv[++i]!}`);
    else out.push(arg);
  }
  return out;
}

/** What to undo, newest first, when the demo stops or fails to start: no simulator left running, no temp folder. */
const undo: (() => Promise<void> | void)[] = [];

async function cleanUp(): Promise<void> {
  while (undo.length > 0) {
    try {
      await undo.pop()!();
    } catch {
      // Keep undoing the rest.
    }
  }
}

function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  return exited;
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `demo: ${error instanceof Error ? error.message : String(error)}\n\n${DEMO_USAGE}\n`,
    );
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return;
  }
  if (options.build) buildRenderer();
  if (!existsSync(join(RENDERER, 'index.html'))) {
    throw new Error('The popover is not built: run `npm run build:renderer` (npm run demo does it for you).');
  }
  const { port } = options;

  const logger = createLogger((record) => process.stderr.write(`${formatRecord(record)}\n`), {
    level: options.verbose ? 'debug' : 'warn',
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tray-for-sonos-demo-'));
  // Removed last, when nothing is left running that could write to it.
  undo.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const sim = await startSimProcess(options.simArgs);
  undo.push(() => stopSim(sim.child));
  const demo = await createDemoCore({
    sim: sim.info,
    store: new DataStore(createConfBackend(dataDir), logger),
    logger,
    appVersion: process.env.npm_package_version ?? '0.0.0',
    openExternal: async (url) => {
      process.stderr.write(`Sonos sign-in (simulated): open ${url}\n`);
    },
  });
  undo.push(() => demo.stop());
  const { controller, core, art } = demo;
  controller.start();
  const bridge = await startBridgeServer({
    core,
    rendererDir: RENDERER,
    logger,
    port,
    art: (path) => art.serve(path),
  });
  undo.push(() => bridge.close());
  // Without a session bus this logs one line and the demo goes on without it.
  const mpris = options.mpris ? await startMpris({ controller, logger, env: process.env }) : null;
  if (mpris) undo.push(() => mpris.stop());

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await cleanUp();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  sim.child.on('exit', (code) => {
    if (stopping) return;
    logger.error('the simulator stopped unexpectedly', { code });
    void stop(1);
  });

  if (options.json) {
    process.stdout.write(
      `{"url":${JSON.stringify(bridge.url)},"sim":${sim.line},"mpris":${JSON.stringify(mpris?.name ?? null)}}\n`,
    );
  } else {
    process.stdout.write(
      [
        'Tray for Sonos demo — the real core and popover against a simulated household.',
        `Open: ${bridge.url}`,
        `Simulator control API: ${sim.info.control}`,
        ...(mpris ? [`MPRIS: ${mpris.name} — try \`playerctl -p tray_for_sonos status\``] : []),
        'Sonos account (simulated): Settings → Sign in, allow on the page that opens, then paste the address',
        'your browser ends on (https://bounce.example.test/sonos/?code=…) into Settings.',
        'Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanUp();
  process.exit(1);
});
