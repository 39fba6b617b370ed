/**
 * `npm run demo`: the real core and the real popover against the built-in simulated household, in a browser.
 * Starts the simulator (`npm run sim`, 5 speakers in 3 groups, music playing), the core with a fresh data folder
 * and the account on the simulated Sonos cloud (demo-core.ts), and the bridge; prints the address to open. `--json` prints one line first:
 * `{"url": "http://127.0.0.1:PORT/?token=…", "sim": <the simulator's own first line>, "mpris": <bus name or null>}`.
 * `--mpris` also publishes the hotkey group on the session bus (`DBUS_SESSION_BUS_ADDRESS`) as the app does on
 * Linux: `playerctl -p tray_for_sonos status` then works on the simulated speakers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
  const { values } = parseArgs({
    args: joinOptionValues(process.argv.slice(2), '--sim-args'),
    options: {
      json: { type: 'boolean', default: false },
      mpris: { type: 'boolean', default: false },
      port: { type: 'string' },
      'sim-args': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(join(RENDERER, 'index.html'))) {
    throw new Error('The popover is not built: run `npm run build:renderer` (npm run demo does it for you).');
  }
  const port = values.port !== undefined ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');

  const logger = createLogger((record) => process.stderr.write(`${formatRecord(record)}\n`), {
    level: values.verbose ? 'debug' : 'warn',
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tray-for-sonos-demo-'));
  // Removed last, when nothing is left running that could write to it.
  undo.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const sim = await startSimProcess(values['sim-args'] ? splitArgs(values['sim-args']) : DEFAULT_SIM_ARGS);
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
  const { controller, core } = demo;
  controller.start();
  const bridge = await startBridgeServer({ core, rendererDir: RENDERER, logger, port });
  undo.push(() => bridge.close());
  // Without a session bus this logs one line and the demo goes on without it.
  const mpris = values.mpris ? await startMpris({ controller, logger, env: process.env }) : null;
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

  if (values.json) {
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
