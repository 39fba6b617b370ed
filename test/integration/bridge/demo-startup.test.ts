/**
 * `npm run demo` as a user starts it: options are read before anything is built or started (`--help`, a typo),
 * and failing to start (its port is taken) leaves no simulator running and no temp folder behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Processes whose environment carries `marker` (Linux /proc): what the demo started and may have left. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

let leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  leftovers = [];
});

describe('npm run demo', () => {
  it('--help prints the options without building anything; a bad option exits 2 with the usage', () => {
    const built = join(ROOT, 'out/renderer/index.html');
    expect(existsSync(built), 'run npm run build first').toBe(true);
    const before = statSync(built).mtimeMs;
    // Exactly what the README says to type (npm passes `--build` first, as package.json's script does).
    const help = spawnSync('npm', ['run', '-s', 'demo', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    for (const option of ['--port', '--sim-args', '--json', '--verbose', '--help'])
      expect(help.stdout).toContain(option);
    const bad = spawnSync('npm', ['run', '-s', 'demo', '--', '--prot', '8080'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown option “--prot”[\s\S]*Usage: npm run demo/);
    const port = spawnSync('npm', ['run', '-s', 'demo', '--', '--port', 'eighty'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port must be a port number/);
    // Nothing was built (the build would have rewritten the page).
    expect(statSync(built).mtimeMs).toBe(before);
  }, 60_000);

  it.skipIf(process.platform !== 'linux')(
    'cleans up the simulator and its data folder when it cannot start',
    async () => {
      expect(existsSync(join(ROOT, 'out/renderer/index.html')), 'run npm run build first').toBe(true);
      const busy = createServer();
      await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
      const port = (busy.address() as { port: number }).port;
      const tmp = mkdtempSync(join(tmpdir(), 'tfs-demo-fail-'));
      const marker = `TFS_DEMO_TEST_MARKER=${tmp}`;
      try {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'main/bridge/demo.ts', '--port', String(port), '--sim-args', '--players 1'],
          {
            cwd: ROOT,
            env: { ...process.env, TMPDIR: tmp, TFS_DEMO_TEST_MARKER: tmp },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await new Promise<number | null>((done) => child.once('exit', done));
        expect(code, stderr).toBe(1);
        expect(stderr).toMatch(/EADDRINUSE|address already in use/i);
        leftovers = processesWith(marker);
        expect(leftovers, 'the simulator was left running').toEqual([]);
        expect(readdirSync(tmp).filter((name) => name.startsWith('tray-for-sonos-demo-'))).toEqual([]);
      } finally {
        busy.close();
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
