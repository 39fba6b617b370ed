/**
 * What the app costs while nobody looks at it: 5 speakers connected, the popover hidden, nothing playing changes.
 * The core runs in a process of its own (bench/measure/idle-core.ts) and is measured there: CPU time, timer
 * wake-ups, what it would send to the popover, memory after a full GC.
 *
 * Where network namespaces can be made (root; CI), it runs on a virtual LAN (test/vlan) as the app would on a
 * real one: the speakers in a namespace of their own, one address each, found by real mDNS and SSDP; the Sonos
 * cloud (the simulator's, signed in) on the core namespace's loopback, holding one household no speaker of the
 * LAN belongs to, so the cloud poller has work the moment the popover opens. Bytes on the wire are the kernel's
 * interface counters: the LAN interface (pings, discovery, TCP and TLS overhead included) and loopback (the cloud).
 * Elsewhere it runs on loopback with typed addresses and says the wire was not measured.
 *
 * Heap with 32 players: a 32-speaker household on loopback, heap after a full GC.
 *
 * The core is bundled first and runs in plain Node, as the app's bundle does: under tsx, its module hooks cost a
 * loader thread of their own about 90 ms of CPU a minute in an otherwise idle process — more than the core.
 */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { JsonLines, type LanEvent } from '../../test/vlan/lines';
import { vlanUnavailable, VirtualLan } from '../../test/vlan/vlan';
import { round, sleep } from '../stats';

const ROOT = resolve(import.meta.dirname, '../..');
const tsx = (file: string, args: string[]): [string, string[]] => [
  process.execPath,
  ['--import', 'tsx', join(ROOT, file), ...args],
];
const SIM = 'test/simulator/cli.ts';
/**
 * Start-up leaves work behind for half a minute (the last scans, JIT, the garbage collector reclaiming what start-up
 * allocated: 55 ms and 30 ms of CPU in the first two 15 s windows after "ready", then 1–3 ms per window). The idle
 * cost of a tray app is the steady state after that.
 */
const SETTLE_MS = 45_000;
/** Where the bundled core goes: under node_modules, so its packages resolve as the app's do. */
const CORE_BUNDLE = join(ROOT, 'node_modules/.cache/tfs-bench/idle-core.mjs');

async function bundleCore(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'bench/measure/idle-core.ts')],
    outfile: CORE_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
}

/** The bundled core, with a config, in plain Node (and able to collect garbage on request). */
const coreCommand = (config: object): [string, string[]] => [
  process.execPath,
  ['--expose-gc', CORE_BUNDLE, JSON.stringify(config)],
];
/** Long tracks: nothing that plays changes during the measurement. */
const QUIET = ['--track-ms', '3600000', '--fast', '--oauth-mode', 'auto'];

export interface IdleResult {
  mode: 'virtual-lan' | 'loopback';
  seconds: number;
  cpuMsPerMinute: number;
  cpuPercentOfOneCore: number;
  timerWakeupsPerSecond: number;
  /** On the LAN interface, everything the core's namespace sent (null on loopback: not measured). */
  lanBytesPerMinute: number | null;
  /** On the core namespace's loopback, the cloud (both directions, as the counter sees them). */
  cloudBytesPerMinuteHidden: number | null;
  cloudBytesPerMinuteShown: number | null;
  popoverEventsWhileHidden: number;
  heapMb5Players: number;
  rssMb5Players: number;
  heapMb32Players: number;
  rssMb32Players: number;
  note: string;
}

function jsonChild(name: string, child: ChildProcess): JsonLines {
  return new JsonLines(name, child);
}

async function measureWindow(core: JsonLines, ms: number): Promise<LanEvent> {
  return core.ask({ cmd: 'measure', ms }, 'measured', ms + 30_000);
}

export async function measureIdle(seconds = 60): Promise<IdleResult> {
  await bundleCore();
  const unavailable = vlanUnavailable('tfsbench');
  const idle = unavailable === null ? await onVirtualLan(seconds) : await onLoopback(seconds, unavailable);
  const big = await heapWith32Players();
  return { ...idle, heapMb32Players: big.heapUsedMb, rssMb32Players: big.rssMb };
}

type Partial5 = Omit<IdleResult, 'heapMb32Players' | 'rssMb32Players'>;

function summarise(
  mode: IdleResult['mode'],
  measured: LanEvent,
  memory: LanEvent,
  bytes: { lan: number | null; cloudHidden: number | null; cloudShown: number | null },
  note: string,
): Partial5 {
  const secs = measured.seconds as number;
  const cpuMs = measured.cpuMs as number;
  return {
    mode,
    seconds: round(secs, 1),
    cpuMsPerMinute: round((cpuMs / secs) * 60, 1),
    cpuPercentOfOneCore: round((cpuMs / (secs * 1000)) * 100, 3),
    timerWakeupsPerSecond: round((measured.timerCallbacks as number) / secs, 2),
    lanBytesPerMinute: bytes.lan,
    cloudBytesPerMinuteHidden: bytes.cloudHidden,
    cloudBytesPerMinuteShown: bytes.cloudShown,
    popoverEventsWhileHidden: measured.popoverEvents as number,
    heapMb5Players: round(memory.heapUsedMb as number, 1),
    rssMb5Players: round(memory.rssMb as number, 1),
    note,
  };
}

async function onVirtualLan(seconds: number): Promise<Partial5> {
  const lan = new VirtualLan('tfsbench', { perRun: true });
  try {
    lan.bridge('lan');
    lan.plug('core', 'eth0', '10.77.0.2/24', 'lan');
    const addresses = [11, 12, 13, 14, 15].map((n) => `10.77.0.${n}`);
    lan.plug('house', 'eth0', `${addresses[0]}/24`, 'lan');
    for (const address of addresses.slice(1)) lan.addAddress('house', 'eth0', `${address}/24`);
    lan.multicastRoute('house', 'eth0');
    const [speakerCmd, speakerArgs] = tsx('test/vlan/speaker.ts', [
      JSON.stringify({ iface: 'eth0', addresses, groups: '1+2,3,4+5', trackMs: 3_600_000, seed: 5 }),
    ]);
    const house = jsonChild('house', lan.spawn('house', speakerCmd, speakerArgs, { cwd: ROOT }));
    await house.next((e) => e.type === 'ready', 60_000);
    const [simCmd, simArgs] = tsx(SIM, ['--players', '1', '--seed', '9', ...QUIET]);
    const cloud = jsonChild('cloud', lan.spawn('core', simCmd, simArgs, { cwd: ROOT }));
    const info = (await cloud.next((e) => 'cloud' in e, 60_000)) as unknown as {
      cloud: { authBase: string; apiBase: string };
    };
    const [coreCmd, coreArgs] = coreCommand({ players: 5, cloud: info.cloud });
    const core = jsonChild('core', lan.spawn('core', coreCmd, coreArgs, { cwd: ROOT }));
    await core.next((e) => e.type === 'ready', 90_000);
    await sleep(SETTLE_MS);
    const lan0 = lan.txBytes('core', 'eth0');
    const lo0 = lan.txBytes('core', 'lo');
    const hidden = await measureWindow(core, seconds * 1000);
    const lan1 = lan.txBytes('core', 'eth0');
    const lo1 = lan.txBytes('core', 'lo');
    // For contrast: the popover open for 20 s, when the cloud household is polled.
    core.send({ cmd: 'show' });
    const lo2 = lan.txBytes('core', 'lo');
    await measureWindow(core, 20_000);
    const lo3 = lan.txBytes('core', 'lo');
    core.send({ cmd: 'hide' });
    const memory = await core.ask({ cmd: 'memory' }, 'memory');
    const perMinute = (bytes: number, secs: number): number => Math.round((bytes / secs) * 60);
    const secs = hidden.seconds as number;
    return summarise(
      'virtual-lan',
      hidden,
      memory,
      {
        lan: perMinute(lan1 - lan0, secs),
        cloudHidden: perMinute(lo1 - lo0, secs),
        cloudShown: perMinute(lo3 - lo2, 20),
      },
      '5 speakers found by real mDNS/SSDP on a virtual LAN; the core signed in to the simulated cloud',
    );
  } finally {
    await lan.destroy();
  }
}

async function onLoopback(seconds: number, why: string): Promise<Partial5> {
  const sim = spawnSim(['--players', '5', '--groups', '1+2,3,4+5', '--seed', '5', ...QUIET]);
  try {
    const info = (await sim.lines.next((e) => 'cloud' in e, 60_000)) as unknown as {
      players: { host: string }[];
      cloud: { authBase: string; apiBase: string };
    };
    const [cmd, args] = coreCommand({
      players: 5,
      hosts: info.players.map((p) => p.host),
      cloud: info.cloud,
    });
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const core = jsonChild('core', child);
    try {
      await core.next((e) => e.type === 'ready', 90_000);
      await sleep(SETTLE_MS);
      const hidden = await measureWindow(core, seconds * 1000);
      const memory = await core.ask({ cmd: 'memory' }, 'memory');
      return summarise(
        'loopback',
        hidden,
        memory,
        { lan: null, cloudHidden: null, cloudShown: null },
        `bytes on the wire not measured (${why}); discovery off (typed addresses)`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    sim.child.kill('SIGTERM');
  }
}

function spawnSim(args: string[]): { child: ChildProcess; lines: JsonLines } {
  const [cmd, full] = tsx(SIM, args);
  const child = spawn(cmd, full, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, lines: jsonChild('simulator', child) };
}

async function heapWith32Players(): Promise<{ heapUsedMb: number; rssMb: number }> {
  const groups = Array.from({ length: 16 }, (_, n) => `${2 * n + 1}+${2 * n + 2}`).join(',');
  const sim = spawnSim(['--players', '32', '--groups', groups, '--seed', '32', ...QUIET]);
  try {
    const info = (await sim.lines.next((e) => 'cloud' in e, 60_000)) as unknown as {
      players: { host: string }[];
      cloud: { authBase: string; apiBase: string };
    };
    // Signed in, as in the 5-speaker run, so both heaps hold the same code.
    const [cmd, args] = coreCommand({ players: 32, hosts: [info.players[0]!.host], cloud: info.cloud });
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const core = jsonChild('core', child);
    try {
      await core.next((e) => e.type === 'ready', 90_000);
      await sleep(2_000);
      const memory = await core.ask({ cmd: 'memory' }, 'memory');
      return { heapUsedMb: round(memory.heapUsedMb as number, 1), rssMb: round(memory.rssMb as number, 1) };
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    sim.child.kill('SIGTERM');
  }
}
