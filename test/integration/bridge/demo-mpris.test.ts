/**
 * `npm run demo -- --json --mpris` as a user would try it: the demo publishes MPRIS on the session bus named by
 * DBUS_SESSION_BUS_ADDRESS (here a private dbus-daemon), and Debian's playerctl controls the simulated speakers
 * through it. Stopping the demo takes the name off the bus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimulatorState } from '../../simulator';
import { playerctl, startPrivateBus, type PrivateBus } from '../../support/dbus';

const ROOT = resolve(import.meta.dirname, '../../..');

let bus: PrivateBus;
let demo: ChildProcess;
let first: { url: string; sim: { control: string }; mpris: string | null };
const stderr: string[] = [];

async function simState(): Promise<SimulatorState> {
  return (await (await fetch(`${first.sim.control}/state`)).json()) as SimulatorState;
}

async function pc(...args: string[]): Promise<string> {
  const result = await playerctl(bus, ['-p', 'tray_for_sonos', ...args]);
  expect(result.code, `playerctl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'out/renderer/index.html')), 'run npm run build first').toBe(true);
  bus = await startPrivateBus();
  demo = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/bridge/demo.ts',
      '--json',
      '--mpris',
      '--sim-args',
      '--players 3 --groups 1+2,3 --fast',
    ],
    { cwd: ROOT, env: { ...process.env, ...bus.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  createInterface({ input: demo.stderr! }).on('line', (line) => stderr.push(line));
  const line = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the demo did not start:\n${stderr.join('\n')}`)), 30_000);
    demo.once('exit', (code) =>
      fail(new Error(`the demo exited with ${String(code)}:\n${stderr.join('\n')}`)),
    );
    createInterface({ input: demo.stdout! }).once('line', (text) => {
      clearTimeout(timer);
      done(text);
    });
  });
  first = JSON.parse(line) as typeof first;
}, 60_000);

afterAll(async () => {
  try {
    if (demo && demo.exitCode === null) {
      const exited = new Promise((done) => demo.once('exit', done));
      demo.kill('SIGTERM');
      await exited;
    }
  } finally {
    bus?.stop();
  }
});

describe('npm run demo -- --json --mpris', () => {
  it('names the bus name in its first line, and playerctl finds the player', async () => {
    expect(first.mpris).toBe('org.mpris.MediaPlayer2.tray_for_sonos');
    expect((await playerctl(bus, ['-l'])).stdout.split('\n')).toContain('tray_for_sonos');
  });

  it('status, metadata and play-pause act on the simulated household', async () => {
    // The demo's core connects to the simulator in the background: wait for it to know what plays.
    await vi.waitFor(async () => expect(await pc('status')).toBe('Playing'), { timeout: 15_000 });
    const playing = (await simState()).groups.filter((g) => g.playbackState === 'PLAYBACK_STATE_PLAYING');
    const title = await pc('metadata', 'title');
    const group = playing.find((g) => (g.track?.name ?? g.streamInfo) === title);
    expect(group, `"${title}" is playing on the simulator`).toBeDefined();
    expect(await pc('metadata', '--format', '{{ artist }}')).toBe(group!.track?.artist ?? '');

    // Paused: a paused station reports IDLE, as real players do (it cannot resume where it was).
    await pc('play-pause');
    await vi.waitFor(
      async () =>
        expect((await simState()).groups.find((g) => g.id === group!.id)!.playbackState).not.toBe(
          'PLAYBACK_STATE_PLAYING',
        ),
      { timeout: 5_000 },
    );
    await vi.waitFor(async () => expect(await pc('status')).not.toBe('Playing'), { timeout: 5_000 });
    await pc('play-pause');
    await vi.waitFor(
      async () =>
        expect((await simState()).groups.find((g) => g.id === group!.id)!.playbackState).toBe(
          'PLAYBACK_STATE_PLAYING',
        ),
      { timeout: 5_000 },
    );
  });

  it('stopping the demo takes the player off the bus', async () => {
    const exited = new Promise<number | null>((done) => demo.once('exit', done));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await playerctl(bus, ['-l'])).stdout.split('\n')).not.toContain('tray_for_sonos');
  });
});
