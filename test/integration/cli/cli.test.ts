import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'main/cli/index.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a real process, the way a user runs it. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ENTRY, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

let sim: Simulator;
let dataDir: string;
let base: string[];
const state = () => sim.state();
const player = (index: number) => state().players[index]!;
const groupOf = (index: number) => state().groups.find((g) => g.id === player(index).groupId)!;

beforeAll(async () => {
  sim = await startSimulator({ players: 3, groups: '1+2,3', holdBackMs: 0, applyDelayMs: 0, seed: 11 });
  dataDir = mkdtempSync(join(tmpdir(), 'tfs-cli-'));
  base = ['--host', sim.players[0]!.host, '--data-dir', dataDir, '--timeout', '8000'];
});
afterAll(async () => {
  await sim.stop();
});

describe('tray-for-sonos CLI against the simulator', () => {
  it('status: every group with what plays and the volumes', async () => {
    const run = await cli(['status', ...base]);
    expect(run.code, run.stderr).toBe(0);
    for (const g of state().groups) expect(run.stdout).toContain(`${g.name} — playing`);
    expect(run.stdout).toContain(`${player(1).name} — volume ${player(1).volume}`);
  });

  it('status --json: the household snapshot', async () => {
    const run = await cli(['status', '--json', ...base]);
    expect(run.code, run.stderr).toBe(0);
    const snapshot = JSON.parse(run.stdout);
    expect(Object.keys(snapshot.groups).sort()).toEqual(
      state()
        .groups.map((g) => g.id)
        .sort(),
    );
    expect(snapshot.players[player(2).id]).toMatchObject({ name: player(2).name, volume: player(2).volume });
  });

  it('discover, with and without --json', async () => {
    const text = await cli(['discover', ...base]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(sim.players[0]!.id);
    expect(text.stdout).toContain('(manual)');
    const json = await cli(['discover', '--json', ...base]);
    expect(JSON.parse(json.stdout).players[0]).toMatchObject({
      id: sim.players[0]!.id,
      householdId: sim.householdId,
      host: sim.players[0]!.host,
      foundBy: ['manual'],
    });
  });

  it('volume: a group by name (case-insensitive), absolute and relative', async () => {
    const name = groupOf(0).name;
    const set = await cli(['volume', name.toUpperCase(), '40', ...base]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(`${name}: volume 40`);
    expect(groupOf(0).volume).toBe(40);
    const up = await cli(['volume', name, '+5', '--json', ...base]);
    expect(JSON.parse(up.stdout)).toEqual({ target: { kind: 'group', id: groupOf(0).id, name }, volume: 45 });
    expect(groupOf(0).volume).toBe(45);
    const down = await cli(['volume', groupOf(0).id, '-10', ...base]);
    expect(down.code).toBe(0);
    expect(groupOf(0).volume).toBe(35);
  });

  it('volume: a speaker by name sets only that speaker', async () => {
    const run = await cli(['volume', player(1).name, '12', '--json', ...base]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      target: { kind: 'player', id: player(1).id },
      volume: 12,
    });
    expect(player(1).volume).toBe(12);
  });

  it('mute on and off, with and without --json', async () => {
    const name = player(2).name;
    const on = await cli(['mute', name, ...base]);
    expect(on.stdout.trim()).toBe(`${groupOf(2).name}: muted`);
    expect(player(2).muted).toBe(true);
    const off = await cli(['mute', name, 'off', '--json', ...base]);
    expect(JSON.parse(off.stdout)).toMatchObject({ muted: false });
    expect(player(2).muted).toBe(false);
  });

  it('pause, play and toggle', async () => {
    const index = state().groups.findIndex((g) => g.source === 'playlist');
    const playlist = () => state().groups[index]!;
    const name = playlist().name;
    expect((await cli(['pause', name, ...base])).stdout.trim()).toBe(`${name}: pause`);
    expect(playlist().playbackState).toBe('PLAYBACK_STATE_PAUSED');
    const play = await cli(['play', name, '--json', ...base]);
    expect(JSON.parse(play.stdout)).toMatchObject({ action: 'play' });
    expect(playlist().playbackState).toBe('PLAYBACK_STATE_PLAYING');
    await cli(['toggle', name, ...base]);
    expect(playlist().playbackState).toBe('PLAYBACK_STATE_PAUSED');
    await cli(['toggle', name, '--json', ...base]);
    expect(playlist().playbackState).toBe('PLAYBACK_STATE_PLAYING');
  });

  it('next and prev change the track (a speaker name stands for its group)', async () => {
    const before = groupOf(0).track?.name ?? groupOf(0).streamInfo;
    const next = await cli(['next', player(1).name, ...base]);
    expect(next.code, next.stderr).toBe(0);
    expect(groupOf(0).track?.name ?? groupOf(0).streamInfo).not.toBe(before);
    const prev = await cli(['prev', groupOf(0).name, '--json', ...base]);
    expect(JSON.parse(prev.stdout)).toMatchObject({ action: 'skipToPreviousTrack' });
    expect(groupOf(0).track?.name ?? groupOf(0).streamInfo).toBe(before);
  });

  it('an unknown target exits 3 with a one-line message, and {error} with --json', async () => {
    const text = await cli(['volume', 'Attic', '10', ...base]);
    expect(text.code).toBe(3);
    expect(text.stderr.trim().split('\n')).toHaveLength(1);
    expect(text.stderr).toMatch(/No group or speaker named “Attic”/);
    const json = await cli(['mute', 'Attic', '--json', ...base]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'not-found' });
  });

  it('an unreachable speaker exits 1 with a clear message', async () => {
    const dead = await cli(['status', '--host', '127.0.0.1:9', '--data-dir', dataDir, '--timeout', '3000']);
    expect(dead.code).toBe(1);
    expect(dead.stderr.trim()).toMatch(/refused the connection/);
    const json = await cli(['status', '--json', '--host', '127.0.0.1:9', '--data-dir', dataDir]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe('unreachable');
  });

  it('a speaker that is away: exits 1 and does not promise to make the change later', async () => {
    await sim.control.takeOffline(player(2).id);
    try {
      const run = await cli(['volume', player(2).name, '20', ...base]);
      expect(run.code, run.stdout).toBe(1);
      expect(run.stderr.trim()).toMatch(/not connected|did not answer|refused the connection/);
      expect(run.stderr).not.toMatch(/when it is back/);
    } finally {
      await sim.control.bringOnline(player(2).id);
    }
  });

  it('a refused command exits 1 and says why', async () => {
    sim.control.setLocalAuth(true);
    try {
      const run = await cli(['volume', groupOf(2).name, '30', ...base]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/does not allow local control/);
    } finally {
      sim.control.setLocalAuth(false);
    }
  });

  it('runs the way the README says, through npx (npm ci puts no tray-for-sonos on the PATH)', async () => {
    const run = await new Promise<Run>((done) =>
      execFile(
        'npx',
        ['--no-install', 'tray-for-sonos', 'status', ...base],
        { cwd: ROOT, timeout: 30_000 },
        (error, stdout, stderr) =>
          done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    for (const g of state().groups) expect(run.stdout).toContain(`${g.name} — `);
  });

  it('bad usage exits 2', async () => {
    expect((await cli(['volume', 'x', 'loud', ...base])).code).toBe(2);
    expect((await cli(['fly', ...base])).code).toBe(2);
    expect((await cli(['--no-such-flag'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tray-for-sonos');
  });

  it('remembers certificates in --data-dir and refuses a changed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-pin-'));
    const args = ['--host', sim.players[0]!.host, '--data-dir', dir, '--timeout', '3000'];
    expect((await cli(['status', ...args])).code).toBe(0);
    await sim.control.rotateCertificate(sim.players[0]!.id);
    const refused = await cli(['status', ...args]);
    expect(refused.code).toBe(1);
    // A warning first, then what a terminal user can do about it (the app's Diagnostics view is not here).
    expect(refused.stderr).toMatch(
      /now presents a different certificate — if you did not reset or replace it, someone may be impersonating it\./,
    );
    expect(refused.stderr).toContain(
      `remove the speaker’s entry under "pins" in ${join(dir, 'tray-for-sonos.json')}`,
    );
    expect(refused.stderr).not.toMatch(/Diagnostics|Settings/);
  });

  it('accepts a CA file instead of pinning, and TFS_DATA_DIR instead of --data-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-ca-'));
    const { writeFileSync } = await import('node:fs');
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, sim.caPem!);
    const run = await cli(['status', '--json', '--host', sim.players[0]!.host, '--ca', caFile], {
      TFS_DATA_DIR: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout).players)).toHaveLength(3);
  });
});
