/**
 * `npm run demo` as a test fixture: spawns `main/bridge/demo.ts --json` (simulator + real core + bridge), reads
 * its first stdout line and wraps the simulator's control API, so a test can play "another controller", inject
 * faults and read the simulated household. Stops it with SIGTERM (the demo stops the simulator and cleans up).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { SimInfo } from '../../main/bridge/demo';
import type { SimulatorState } from '../simulator';

const ROOT = resolve(import.meta.dirname, '../..');

export type SimGroupState = SimulatorState['groups'][number];
export type SimPlayerState = SimulatorState['players'][number];

export interface Demo {
  url: string;
  sim: SimInfo;
  /** `GET /state` of the simulator. */
  state(): Promise<SimulatorState>;
  /** `POST /<method>` on the simulator's control API; throws on `{ok: false}`. */
  post(method: string, body?: Record<string, unknown>): Promise<unknown>;
  /** The simulator's group that `playerName` is in (ids change on regroup, names of players do not). */
  groupOf(playerName: string): Promise<SimGroupState>;
  player(name: string): Promise<SimPlayerState>;
  /** Everything the demo wrote to stderr (its warnings, such as refused bridge connections). */
  stderr: string[];
  stop(): Promise<void>;
}

/** `npm test` builds before Playwright; a lone `npx playwright test` may not have. */
function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  const built = spawnSync('npm', ['run', '-s', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the renderer failed');
}

export async function startDemo(simArgs: string): Promise<Demo> {
  ensureRendererBuilt();
  const child: ChildProcess = spawn(
    process.execPath,
    // `--sim-args "…"` as two words, the way the README shows it.
    ['--import', 'tsx', 'main/bridge/demo.ts', '--json', '--sim-args', simArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const first = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error(`the demo did not start:\n${stderr.join('\n')}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the demo exited with ${String(code)}:\n${stderr.join('\n')}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      done(line);
    });
  });
  const { url, sim } = JSON.parse(first) as { url: string; sim: SimInfo };

  const state = async (): Promise<SimulatorState> => {
    const response = await fetch(`${sim.control}/state`);
    return (await response.json()) as SimulatorState;
  };
  const post = async (method: string, body: Record<string, unknown> = {}): Promise<unknown> => {
    const response = await fetch(`${sim.control}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { ok: boolean; result?: unknown; error?: string };
    if (!answer.ok) throw new Error(`simulator ${method}: ${answer.error ?? response.status}`);
    return answer.result;
  };
  const player = async (name: string): Promise<SimPlayerState> => {
    const found = (await state()).players.find((p) => p.name === name);
    if (!found) throw new Error(`no simulated player named ${name}`);
    return found;
  };
  const groupOf = async (playerName: string): Promise<SimGroupState> => {
    const current = await state();
    const member = current.players.find((p) => p.name === playerName);
    const group = current.groups.find((g) => g.id === member?.groupId);
    if (!group) throw new Error(`no simulated group with ${playerName}`);
    return group;
  };

  return {
    url,
    sim,
    state,
    post,
    player,
    groupOf,
    stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
