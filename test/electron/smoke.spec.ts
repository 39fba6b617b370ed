/**
 * The app in real Electron, end to end: started with Playwright's `_electron` (the built app in out/ with the
 * Electron of node_modules, or the packaged executable named by TFS_ELECTRON_APP), with a data folder of its own
 * and the simulated household on 127.0.0.1. Checks what no fake can: the popover window loads `app://popover`, the
 * preload exposes `window.tray` and an IPC round trip works, the simulator's speakers show up, the tray was
 * created, `--version` prints, and quitting is clean.
 *
 * Run by scripts/test-electron.mjs (which skips, with one line saying why, where there is no Electron binary).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { _electron, expect, test, type ElectronApplication } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGED = process.env.TFS_ELECTRON_APP || null;
const ELECTRON = process.env.TFS_ELECTRON_BINARY || null;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Sim {
  players: { name: string; host: string }[];
}

let sim: ChildProcess;
let simInfo: Sim;
let dataDir: string;

test.beforeAll(async () => {
  sim = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/simulator/cli.ts', '--players', '3', '--groups', '1+2,3'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const firstLine = await new Promise<string>((done, fail) => {
    createInterface({ input: sim.stdout! }).once('line', done);
    sim.once('exit', (code) => fail(new Error(`the simulator exited with ${String(code)}`)));
  });
  simInfo = JSON.parse(firstLine) as Sim;
  dataDir = mkdtempSync(join(tmpdir(), 'tfs-electron-smoke-'));
});

test.afterAll(() => {
  sim?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function launch(): Promise<ElectronApplication> {
  const env = { ...process.env, TFS_USER_DATA_DIR: dataDir } as Record<string, string>;
  // The built app is started like `electron .`; a packaged one is its own executable.
  return PACKAGED
    ? _electron.launch({ executablePath: PACKAGED, args: [], env })
    : _electron.launch({ ...(ELECTRON ? { executablePath: ELECTRON } : {}), args: [ROOT], env, cwd: ROOT });
}

function logLines(): string[] {
  return readFileSync(join(dataDir, 'logs', 'tray-for-sonos.log'), 'utf8').split('\n');
}

test('--version prints the app version and exits 0', () => {
  const executable = PACKAGED ?? ELECTRON!;
  const args = PACKAGED ? ['--version'] : [ROOT, '--version'];
  const result = spawnSync(executable, args, { encoding: 'utf8', timeout: 30_000 });
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(`Tray for Sonos ${VERSION}`);
});

test('the popover, window.tray, the simulated household, the tray, and a clean quit', async () => {
  const app = await launch();
  const exited = new Promise<number | null>((done) => app.process().once('exit', (code) => done(code)));
  const problems: string[] = [];
  try {
    // First run with an empty data folder: the popover opens by itself to show where the app lives.
    const page = await app.firstWindow();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    expect(page.url()).toMatch(/^app:\/\/popover\//);
    await expect(page.getByRole('heading', { name: 'Tray for Sonos', level: 1 })).toBeVisible();

    // The preload's bridge, and a round trip through main's IPC handler and back.
    expect(await page.evaluate(() => typeof (window as { tray?: unknown }).tray)).toBe('object');
    const settings = await page.evaluate(() =>
      (window as unknown as { tray: { invoke(channel: string): Promise<unknown> } }).tray.invoke(
        'settings:get',
      ),
    );
    expect(settings).toMatchObject({ ok: true, value: { updates: { automatic: true } } });

    // The simulator's speakers, added by address as a user would in Settings.
    const added = await page.evaluate(
      (host) =>
        (
          window as unknown as { tray: { invoke(channel: string, payload: unknown): Promise<unknown> } }
        ).tray.invoke('settings:update', { manualHosts: [host] }),
      simInfo.players[0]!.host,
    );
    expect(added).toMatchObject({ ok: true });
    // `--players 3 --groups 1+2,3`: two groups, named as Sonos names them.
    const [first, , third] = simInfo.players;
    for (const group of [`${first!.name} + 1`, third!.name]) {
      await expect(page.getByRole('region', { name: group })).toBeVisible({ timeout: 30_000 });
    }

    // The tray icon exists (Electron has no API to list trays; the shell logs once it made one).
    expect(logLines().some((line) => / INFO tray created/.test(line))).toBe(true);
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getVersion())).toBe(VERSION);

    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    expect(await exited).toBe(0);
    const lines = logLines();
    expect(lines.some((line) => / INFO quit$/.test(line))).toBe(true);
    expect(lines.filter((line) => / ERROR /.test(line))).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    if (app.process().exitCode === null) await app.close();
  }
});
