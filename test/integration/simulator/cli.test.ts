import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { SimulatorInfo } from '../../simulator';
import { TestSocket } from './ws-test-client';

const ROOT = resolve(import.meta.dirname, '../../..');
// What `npm run sim` runs ("tsx test/simulator/cli.ts"), without npm in between.
const TSX = resolve(ROOT, 'node_modules/tsx/dist/cli.mjs');

function startCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [TSX, 'test/simulator/cli.ts', ...args], {
    cwd: ROOT,
    env: process.env,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before printing: ${stderr}`)));
  });
  // Tests that expect an early exit never read the line.
  firstLine.catch(() => undefined);
  return { child, firstLine, stderr: () => stderr };
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

function portsOf(info: SimulatorInfo): number[] {
  return [
    ...info.players.map((p) => Number(p.host.split(':')[1])),
    Number(new URL(info.cloud.authBase).port),
    Number(new URL(info.control).port),
  ];
}

describe('npm run sim', () => {
  it('prints the info JSON as its first line, serves it, and exits 0 on SIGTERM with ports freed', async () => {
    const { child, firstLine } = startCli([
      '--players',
      '3',
      '--groups',
      '1+2,3',
      '--latency',
      '5',
      '--seed',
      '9',
      '--fast',
    ]);
    try {
      const info = JSON.parse(await firstLine) as SimulatorInfo;
      expect(Object.keys(info)).toEqual(['householdId', 'players', 'cloud', 'control']);
      expect(info.players).toHaveLength(3);
      expect(info.players[0]).toEqual({
        id: expect.stringMatching(/^RINCON_[0-9A-F]{12}01400$/),
        name: 'Living Room',
        host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        wss: expect.stringMatching(/^wss:\/\/127\.0\.0\.1:\d+\/websocket\/api$/),
      });
      const state = (await (await fetch(`${info.control}/state`)).json()) as {
        groups: { playerIds: string[] }[];
      };
      expect(state.groups.map((g) => g.playerIds.length)).toEqual([2, 1]);
      const households = await fetch(`${info.cloud.apiBase}/households`);
      expect(households.status).toBe(401);

      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
      for (const port of portsOf(info)) expect(await refused(port)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGINT too', async () => {
    const { child, firstLine, stderr } = startCli(['--players', '1']);
    try {
      const info = JSON.parse(await firstLine) as SimulatorInfo;
      child.kill('SIGINT');
      expect(await exitCode(child)).toBe(0);
      expect(stderr()).toMatch(/SIGINT: stopping/);
      for (const port of portsOf(info)) expect(await refused(port)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serves real players that a plain ws client can use', async () => {
    const { child, firstLine } = startCli(['--players', '2', '--fast']);
    try {
      const info = JSON.parse(await firstLine) as SimulatorInfo;
      const state = (await (await fetch(`${info.control}/state`)).json()) as { groups: { id: string }[] };
      // The info line has no CA; a process fetches it from the control API (or pins certificates on first use).
      const caPem = await (await fetch(`${info.control}/ca`)).text();
      expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const sim = {
        householdId: info.householdId,
        caPem,
        players: info.players.map((p) => ({ ...p, port: Number(p.host.split(':')[1]) })),
      } as unknown as Parameters<typeof TestSocket.open>[0];
      const socket = await TestSocket.open(sim, 1);
      const [header] = await socket.request('groupVolume:1', 'getVolume', {
        groupId: state.groups[0]?.id ?? '',
      });
      expect(header['success']).toBe(true);
      socket.close();
      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects unknown options with usage and exit code 2', async () => {
    const { child, stderr } = startCli(['--bogus']);
    expect(await exitCode(child)).toBe(2);
    expect(stderr()).toMatch(/Usage: npm run sim/);
  });

  it('refuses impossible households (--players 0, --groups 1+9) with usage and exit code 2, no stack', async () => {
    for (const [args, reason] of [
      [['--players', '0'], /players must be an integer from 1 to 64, got 0/],
      [['--players', '3', '--groups', '1+9'], /group member 9 is not a player number from 1 to 3/],
      [['--players', '2', '--groups', '1+2,2'], /player 2 is in more than one group/],
    ] as const) {
      const { child, stderr } = startCli([...args]);
      expect(await exitCode(child), args.join(' ')).toBe(2);
      expect(stderr()).toMatch(reason);
      expect(stderr()).toMatch(/Usage: npm run sim/);
      expect(stderr()).not.toMatch(/\n\s+at /);
    }
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const { child } = startCli(['--help']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    expect(await exitCode(child)).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run sim/);
  });
});
