/**
 * `npm run sim -- [--players N] [--groups "1+2,3"] [--latency ms] …`: runs the simulator until SIGINT/SIGTERM.
 * The first stdout line is the info JSON (nothing is printed before it), so a parent process can read one line and
 * connect; everything else goes to stderr.
 */
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator, type SimulatorOptions } from './index';
import { OAUTH_MODES, resolveOptions, type OAuthMode } from './options';

const USAGE = `Usage: npm run sim -- [options]
  --players N          number of players (default 3)
  --groups "1+2,3"     grouping by 1-based player number, coordinator first (default: every player alone)
  --latency MS         extra delay before every reply, event and cloud answer (default 0)
  --hold-back MS       hold-back window for commands on one target (default 260)
  --token-ttl S        access token lifetime in seconds (default 86399)
  --oauth-mode MODE    consent | auto | deny | wrong-state | hang (default consent)
  --track-ms MS        track length before auto-advance (default 180000)
  --seed N             seed for ids, names and volumes
  --realistic          hardware timings (default): hold-back 260 ms, volume applied 21 ms after the ack
  --fast               no hold-back, volume applied at once
  --help`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`--${name} needs a number, got ${JSON.stringify(value)}`);
  return n;
}

function optionsFromArgs(args: string[]): SimulatorOptions | null {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      players: { type: 'string' },
      groups: { type: 'string' },
      latency: { type: 'string' },
      'hold-back': { type: 'string' },
      'token-ttl': { type: 'string' },
      'oauth-mode': { type: 'string' },
      'track-ms': { type: 'string' },
      seed: { type: 'string' },
      realistic: { type: 'boolean' },
      fast: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  const options: SimulatorOptions = {};
  const set = <K extends keyof SimulatorOptions>(key: K, value: SimulatorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  if (values.fast && values.realistic) throw new RangeError('--fast and --realistic exclude each other');
  if (values.fast) {
    options.holdBackMs = 0;
    options.applyDelayMs = 0;
  }
  if (values.realistic) {
    options.holdBackMs = 260;
    options.applyDelayMs = 21;
  }
  set('players', number('players', values.players));
  set('groups', values.groups);
  set('latencyMs', number('latency', values.latency));
  set('holdBackMs', number('hold-back', values['hold-back']));
  set('tokenTtlSeconds', number('token-ttl', values['token-ttl']));
  set('trackMs', number('track-ms', values['track-ms']));
  set('seed', number('seed', values.seed));
  const mode = values['oauth-mode'];
  if (mode !== undefined) {
    if (!(OAUTH_MODES as readonly string[]).includes(mode))
      throw new RangeError(`--oauth-mode must be one of ${OAUTH_MODES.join(', ')}`);
    options.oauthMode = mode as OAuthMode;
  }
  // Checked here, before anything starts: `--players 0` or `--groups 1+9` is a usage error, not a crash.
  resolveOptions(options);
  return options;
}

async function main(): Promise<void> {
  let options: SimulatorOptions | null;
  try {
    options = optionsFromArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  options.log = (line) => process.stderr.write(`[sim] ${line}\n`);
  const simulator: Simulator = await startSimulator(options);
  process.stdout.write(`${JSON.stringify(simulator.info)}\n`);
  process.stderr.write(`[sim] control API: ${simulator.info.control} (GET /state); Ctrl+C to stop\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[sim] ${signal}: stopping\n`);
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`[sim] stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[sim] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
