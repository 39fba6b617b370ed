/** `npm run demo` failing to start (its port is taken) leaves no simulator running and no temp folder behind. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
