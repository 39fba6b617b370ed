/**
 * The rooms-and-music commands of `tray-for-sonos` as a real process against the simulator: what they change on
 * the players, what they print, and that every refusal is one line, a non-zero exit, and nothing sent.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
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

function cli(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ENTRY, ...args, ...base],
      { cwd: ROOT, env: process.env, timeout: 30_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Each command is a process of its own (a few seconds each on a busy machine); a test runs several. */
const SLOW = 120_000;

let sim: Simulator;
let dataDir: string;
let base: string[];
/** What the players received from the CLI (reads and subscriptions left out): a refusal must add nothing. */
const sent: string[] = [];
const player = (n: number) => sim.state().players[n - 1]!;
const groupOf = (n: number) => sim.state().groups.find((g) => g.id === player(n).groupId)!;

beforeAll(async () => {
  // Living Room + Kitchen play the queue, Office (an Amp: home theater) is alone, Bedroom plays a station.
  sim = await startSimulator({ players: 4, groups: '1+2,4,3', holdBackMs: 0, applyDelayMs: 0, seed: 21 });
  dataDir = mkdtempSync(join(tmpdir(), 'tfs-cli-music-'));
  base = ['--host', sim.players[0]!.host, '--data-dir', dataDir, '--timeout', '8000'];
  sim.onCommand((c) => {
    if (!/^(subscribe|unsubscribe|get)/.test(c.command)) sent.push(`${c.namespace} ${c.command}`);
  });
});
afterAll(async () => {
  await sim.stop();
});

/** Runs a command that must be refused: one line on stderr, the exit code, nothing sent to a player. */
async function refused(args: string[], code: number, message: RegExp): Promise<void> {
  const before = sent.length;
  const run = await cli(args);
  expect(run.code, run.stdout).toBe(code);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(sent.slice(before)).toEqual([]);
}

describe('tray-for-sonos rooms and music', () => {
  it(
    'status shows position/duration, play modes and members',
    async () => {
      sim.control.setPlayModes(groupOf(1).id, { shuffle: true, repeat: true });
      const run = await cli(['status']);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      const headline = lines.findIndex((l) => l.startsWith(`${groupOf(1).name} — playing`));
      expect(lines[headline + 1]).toMatch(/^ {2}\d+:\d\d \/ 3:00 · shuffle · repeat all$/);
      expect(lines[headline + 2]).toContain(`  ${player(1).name} — volume`);
      expect(lines[headline + 3]).toContain(`  ${player(2).name} — volume`);
      const json = JSON.parse((await cli(['status', '--json'])).stdout);
      expect(json.groups[groupOf(1).id]).toMatchObject({
        playerIds: [player(1).id, player(2).id],
        playModes: { shuffle: true, repeat: 'all', crossfade: false },
        positionMs: expect.any(Number),
        positionAt: expect.any(Number),
        nowPlaying: { durationMs: 180_000 },
      });
    },
    SLOW,
  );

  it(
    'shuffle, repeat, crossfade and seek land; a station refuses them in one line and nothing is sent',
    async () => {
      const living = groupOf(1).name;
      expect((await cli(['shuffle', living, 'off'])).stdout.trim()).toBe(`${living}: shuffle off`);
      expect((await cli(['repeat', living, 'one'])).code).toBe(0);
      expect((await cli(['crossfade', living, 'on'])).code).toBe(0);
      expect(groupOf(1).playModes).toEqual({
        shuffle: false,
        repeat: true,
        repeatOne: true,
        crossfade: true,
      });
      sim.control.playback(groupOf(1).id, 'pause');
      const seek = await cli(['seek', living, '1:30']);
      expect(seek.stdout.trim()).toBe(`${living}: at 1:30 of 3:00`);
      expect(groupOf(1).positionMillis).toBe(90_000);
      expect((await cli(['seek', living, '-15'])).stdout.trim()).toBe(`${living}: at 1:15 of 3:00`);
      expect(groupOf(1).positionMillis).toBe(75_000);

      const station = groupOf(3).name;
      await refused(
        ['shuffle', station, 'on'],
        1,
        new RegExp(`Shuffle is not available for what ${station} is playing`),
      );
      await refused(['seek', station, '+10'], 1, /Seeking is not available/);
      await refused(['repeat', living, 'forever'], 2, /repeat takes off, all or one/);
      await refused(['seek', living, '1:75'], 2, /seek takes m:ss, h:mm:ss, \+N or -N/);
    },
    SLOW,
  );

  it(
    'favorites and playlists: listed, played by name (case-insensitive), unknown names refused',
    async () => {
      const list = await cli(['favorites']);
      expect(list.code, list.stderr).toBe(0);
      for (const f of sim.state().favorites.items) expect(list.stdout).toContain(f.name);
      const json = JSON.parse((await cli(['favorites', '--json'])).stdout);
      expect(json).toMatchObject({ version: sim.state().favorites.version, items: expect.any(Array) });

      const office = groupOf(4).name;
      const play = await cli(['favorite', office, 'loopback', 'FM']);
      expect(play.stdout.trim()).toBe(`${office}: playing Loopback FM`);
      expect(groupOf(4)).toMatchObject({
        source: 'radio',
        container: 'Loopback FM',
        playbackState: 'PLAYBACK_STATE_PLAYING',
      });
      await refused(
        ['favorite', office, 'No Such Thing'],
        3,
        /No favorite named “No Such Thing”\. Known: Loopback FM/,
      );

      const playlists = await cli(['playlists']);
      expect(playlists.stdout).toContain('Dinner for Loopbacks  (4 tracks)');
      expect((await cli(['playlist', office, 'long drive'])).code).toBe(0);
      expect(groupOf(4)).toMatchObject({ source: 'playlist', container: 'Long Drive' });
    },
    SLOW,
  );

  it(
    'night and dialog on a home-theater speaker; any other speaker is refused',
    async () => {
      const office = player(4).name;
      expect((await cli(['night', office, 'on'])).stdout.trim()).toBe(`${office}: night sound on`);
      expect((await cli(['dialog', office, 'on'])).code).toBe(0);
      expect(player(4).homeTheater).toEqual({ nightMode: true, enhanceDialog: true });
      await refused(['night', player(2).name, 'on'], 1, /is not a home-theater speaker/);
      await refused(['dialog', 'Garage', 'on'], 3, /No group or speaker named “Garage”/);
    },
    SLOW,
  );

  it(
    'join and leave move speakers by name, with the new group’s name',
    async () => {
      const join = await cli(['join', player(4).name, player(1).name]);
      expect(join.code, join.stderr).toBe(0);
      expect(join.stdout.trim()).toBe(`${player(4).name} joined ${player(1).name} + 2`);
      expect(groupOf(4).playerIds).toEqual([player(1).id, player(2).id, player(4).id]);
      const leave = await cli(['leave', player(1).name]);
      expect(leave.stdout.trim()).toBe(`${player(1).name} now plays on its own`);
      // The coordinator left: the music stays with the rooms that remain.
      expect(groupOf(2)).toMatchObject({
        coordinatorId: player(2).id,
        playerIds: [player(2).id, player(4).id],
      });
      expect((await cli(['leave', player(1).name])).stdout.trim()).toBe(
        `${player(1).name} already plays on its own`,
      );
    },
    SLOW,
  );

  it(
    'pause-all pauses what plays; resume-all, another process, resumes only that',
    async () => {
      sim.control.playback(groupOf(1).id, 'pause');
      const playing = sim.state().groups.filter((g) => g.playbackState === 'PLAYBACK_STATE_PLAYING');
      expect(playing.length).toBeGreaterThan(0);
      const pause = await cli(['pause-all']);
      expect(pause.code, pause.stderr).toBe(0);
      expect(pause.stdout).toMatch(/^Paused /);
      expect(sim.state().groups.some((g) => g.playbackState === 'PLAYBACK_STATE_PLAYING')).toBe(false);
      expect(existsSync(join(dataDir, 'paused-all.json'))).toBe(true);
      const resume = await cli(['resume-all']);
      expect(resume.code, resume.stderr).toBe(0);
      for (const g of playing)
        expect(sim.state().groups.find((s) => s.id === g.id)?.playbackState).toBe('PLAYBACK_STATE_PLAYING');
      expect(groupOf(1).playbackState).toBe('PLAYBACK_STATE_PAUSED');
      await refused(['resume-all'], 3, /Nothing to resume/);
    },
    SLOW,
  );
});
