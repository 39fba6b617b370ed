/**
 * A private D-Bus session bus for a test (Debian's `dbus-daemon`, package `dbus`) and Debian's `playerctl` as the
 * MPRIS client, exactly as a Linux desktop would use them. Nothing touches the machine's own session bus.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface PrivateBus {
  address: string;
  env: NodeJS.ProcessEnv;
  /** Kills the daemon (idempotent). */
  stop(): void;
}

export const DBUS_DAEMON = '/usr/bin/dbus-daemon';
export const PLAYERCTL = '/usr/bin/playerctl';

export function haveDbusTools(): boolean {
  return existsSync(DBUS_DAEMON) && existsSync(PLAYERCTL);
}

/** `dbus-daemon --session --fork --print-address --print-pid`: the daemon forks and prints where it listens. */
export function startPrivateBus(): Promise<PrivateBus> {
  return new Promise((resolve, reject) => {
    execFile(
      DBUS_DAEMON,
      ['--session', '--fork', '--nopidfile', '--print-address=1', '--print-pid=1'],
      { timeout: 10_000 },
      (error, stdout) => {
        if (error) return reject(error);
        const [address, pid] = stdout.trim().split('\n');
        if (!address || !pid) return reject(new Error(`dbus-daemon said: ${stdout}`));
        let stopped = false;
        resolve({
          address,
          env: { DBUS_SESSION_BUS_ADDRESS: address },
          stop() {
            if (stopped) return;
            stopped = true;
            try {
              process.kill(Number(pid), 'SIGTERM');
            } catch {
              // Already gone.
            }
          },
        });
      },
    );
  });
}

/** Runs `playerctl` on the private bus; resolves with its output (and exit code), never throws. */
export function playerctl(
  bus: PrivateBus,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PLAYERCTL,
      args,
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...bus.env }, timeout: 15_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout.trim(), stderr: stderr.trim() }),
    );
  });
}

/** `playerctl --follow …`: every line it prints, as it prints it. */
export function followPlayerctl(bus: PrivateBus, args: string[]): { lines: string[]; child: ChildProcess } {
  const child = spawn(PLAYERCTL, ['--follow', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...bus.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  return { lines, child };
}

/** A raw method call with Debian's `dbus-send`, for what playerctl will not send (it checks Can* first). */
export function dbusSend(bus: PrivateBus, destination: string, method: string): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/dbus-send',
      ['--session', `--dest=${destination}`, '--print-reply', '/org/mpris/MediaPlayer2', method],
      { env: { PATH: process.env.PATH, ...bus.env }, timeout: 10_000 },
      (error) => resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
}
