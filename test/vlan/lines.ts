/** A process of the virtual LAN seen as the JSON lines it prints, and the JSON lines we send it. */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LanEvent = Record<string, unknown> & { type: string };

export class JsonLines {
  readonly events: LanEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as LanEvent);
      } catch {
        this.events.push({ type: 'text', line });
      }
      for (const wake of [...this.waiters]) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4_000);
    });
    child.once('exit', () => {
      for (const wake of [...this.waiters]) wake();
    });
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  /** Events so far that match. */
  all(match: (event: LanEvent) => boolean): LanEvent[] {
    return this.events.filter(match);
  }

  /** The first event from index `from` on that matches, waiting up to `timeoutMs` for it. */
  next(match: (event: LanEvent) => boolean, timeoutMs = 15_000, from = 0): Promise<LanEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.events.slice(from).find(match);
        if (hit) {
          done();
          resolve(hit);
          return true;
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(
            new Error(
              `${this.name} exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr}`,
            ),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: nothing matching within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = (): void => void check();
      this.waiters.add(wake);
      check();
    });
  }

  /** Asks for something (a `state`) and waits for the answer printed after the question. */
  async ask(command: Record<string, unknown>, type: string, timeoutMs = 5_000): Promise<LanEvent> {
    const from = this.events.length;
    this.send(command);
    return this.next((event) => event.type === type, timeoutMs, from);
  }
}
