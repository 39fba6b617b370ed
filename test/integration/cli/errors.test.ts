/**
 * The CLI's answers to what people really type, as real processes: wrong devices, impossible addresses, several
 * addresses at once, a file for a data folder, out-of-range volumes, pasted paragraphs and option typos. Each
 * answer is one line that says what is wrong, in the CLI's own terms (no "Settings", no Unicode minus, no `--`
 * advice that the parser then refuses).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse } from '../../support/account-harness';
import { createAuthority, issuePlayerCertificate } from '../../simulator/certs';
import { DEFAULT_CLIENT, startSimulator, type Simulator } from '../../simulator';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'main/cli/index.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', ENTRY, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

/** A web page on 127.0.0.1 (a router's admin page, a printer): not a speaker. */
async function htmlServer(secure: boolean): Promise<{ host: string; server: Server }> {
  const page = (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Router</title><h1>Welcome</h1>');
  };
  let server: Server;
  if (secure) {
    const authority = await createAuthority();
    const { cert, key } = await issuePlayerCertificate(authority, 'router.example.test');
    server = createHttpsServer({ cert, key }, page);
  } else {
    server = createHttpServer(page);
  }
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The one line the CLI printed, without its prefix. */
const said = (run: Run): string => {
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0]!.replace(/^tray-for-sonos: /, '');
};

let sim: Simulator;
let dataDir: string;
let base: string[];
const servers: Server[] = [];

beforeAll(async () => {
  sim = await startSimulator({ players: 2, groups: '1+2', holdBackMs: 0, applyDelayMs: 0, seed: 13 });
  dataDir = mkdtempSync(join(tmpdir(), 'tfs-cli-errors-'));
  base = ['--host', sim.players[0]!.host, '--data-dir', dataDir];
});
afterAll(async () => {
  for (const server of servers) server.close();
  await sim.stop();
});

describe('tray-for-sonos says what is wrong', () => {
  it('a web server is “not a Sonos speaker”, over HTTP as over HTTPS', async () => {
    for (const secure of [false, true]) {
      const { host, server } = await htmlServer(secure);
      servers.push(server);
      const run = await cli(['status', '--host', host, '--data-dir', dataDir, '--timeout', '3000']);
      expect(run.code, run.stderr).toBe(1);
      expect(said(run), secure ? 'https' : 'http').toBe(
        'The device at that address does not look like a Sonos speaker.',
      );
    }
  });

  it('an impossible --host is a usage error that names the address and why', async () => {
    const cases: [string, RegExp][] = [
      ['127.0.0.1:99999', /^--host “127\.0\.0\.1:99999” is not a valid address: the port must be/],
      ['192.168.1.300', /^--host “192\.168\.1\.300” is not a valid IP address: it needs four numbers from 0/],
      ['not a host!!', /^--host “not a host!!” is not a valid IP address or host name\.$/],
      ['x'.repeat(300), /^--host “x{59}…” is not a valid address: it is too long/],
    ];
    for (const [host, message] of cases) {
      const run = await cli(['status', '--host', host, '--data-dir', dataDir]);
      expect(run.code, host).toBe(2);
      expect(said(run)).toMatch(message);
    }
  });

  it('with several --host, the error names each address', async () => {
    const run = await cli([
      'status',
      '--host',
      '127.0.0.1:9',
      '--host',
      '127.0.0.1:7',
      '--data-dir',
      dataDir,
      '--timeout',
      '3000',
    ]);
    expect(run.code).toBe(1);
    expect(said(run)).toBe(
      '127.0.0.1:9: The speaker refused the connection. Is it switched on? 127.0.0.1:7: The speaker refused the connection. Is it switched on?',
    );
    // One address answering is enough; the other is named on its own line.
    const mixed = await cli(['status', '--host', '127.0.0.1:9', ...base]);
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(mixed.stderr.trim()).toBe(
      'tray-for-sonos: 127.0.0.1:9: The speaker refused the connection. Is it switched on?',
    );
  });

  it('a file given as the data folder is “not a folder”', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tfs-cli-file-')), 'settings.txt');
    writeFileSync(file, 'not a folder');
    const run = await cli(['status', '--host', sim.players[0]!.host, '--data-dir', file]);
    expect(run.code).toBe(2);
    expect(said(run)).toBe(`--data-dir ${file} is not a folder`);
    const below = await cli(['status', '--host', sim.players[0]!.host, '--data-dir', join(file, 'sub')]);
    expect(below.code).toBe(2);
    expect(said(below)).toBe(
      `--data-dir ${join(file, 'sub')} cannot be created: ${file} is a file, not a folder`,
    );
    const env = await cli(['status', '--host', sim.players[0]!.host], { TFS_DATA_DIR: file });
    expect(said(env)).toBe(`TFS_DATA_DIR ${file} is not a folder`);
  });

  it('volumes out of range read alike, whatever their length, with an ordinary minus', async () => {
    const name = sim.state().groups[0]!.name;
    const answers = new Map<string, string>();
    for (const value of ['-5000', '-101', '+200', '+5000', '5000', '101', '-5.5', 'loud']) {
      const run = await cli(['volume', name, value, ...base]);
      expect(run.code, value).toBe(2);
      answers.set(value, said(run));
    }
    expect(answers.get('-5000')).toBe('A volume change must be between -100 and +100.');
    expect(answers.get('-101')).toBe(answers.get('-5000'));
    expect(answers.get('+200')).toBe(answers.get('-5000'));
    expect(answers.get('+5000')).toBe(answers.get('-5000'));
    expect(answers.get('5000')).toBe('Volume must be between 0 and 100.');
    expect(answers.get('101')).toBe(answers.get('5000'));
    expect(answers.get('-5.5')).toBe('Volume must be 0–100, +N or -N, not “-5.5”.');
    expect(answers.get('loud')).toBe('Volume must be 0–100, +N or -N, not “loud”.');
    expect([...answers.values()].join('')).not.toContain('\u2212');
  });

  it('`volume <group> -5` works without `--`; an unknown option is named without advice about `--`', async () => {
    const group = sim.state().groups[0]!;
    const run = await cli(['volume', group.name, '-5', ...base]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`${group.name}: volume ${sim.state().groups[0]!.volume}`);
    const typo = await cli(['volume', group.name, '--loud', ...base]);
    expect(typo.code).toBe(2);
    expect(said(typo)).toBe('unknown option “--loud” (see --help)');
  });

  it('a pasted paragraph is not echoed back whole', async () => {
    const long = 'Kitchen'.repeat(700);
    const run = await cli(['volume', long, '10', ...base]);
    expect(run.code).toBe(3);
    const line = said(run);
    expect(line).toMatch(/^No group or speaker named “(Kitchen)+Kit…”\. Known: /);
    expect(line.length).toBeLessThan(200);
    const option = await cli([`--${'x'.repeat(5000)}`]);
    expect(said(option).length).toBeLessThan(80);
    const command = await cli(['y'.repeat(5000)]);
    expect(said(command).length).toBeLessThan(80);
  });

  it('a key or secret Sonos does not accept names the environment variables, not Settings', async () => {
    const env = {
      TFS_CLIENT_ID: DEFAULT_CLIENT.clientId,
      TFS_CLIENT_SECRET: 'not-the-secret',
      TFS_REDIRECT_URI: DEFAULT_CLIENT.redirectUris[0]!,
      TFS_AUTH_BASE: sim.info.cloud.authBase,
      TFS_API_BASE: sim.info.cloud.apiBase,
    };
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-client-'));
    // `login --paste` prints the address; the simulator's consent page gives the address to paste back.
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'login', '--paste', '--data-dir', dir], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    let asked = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/login\/v3\/oauth\?\S+)/.exec(stdout)?.[1];
      // Once: more output arrives while the browser is still being played.
      if (!url || asked) return;
      asked = true;
      void browse(url).then((landed) => child.stdin.end(`${landed}\n`));
    });
    const code = await new Promise<number | null>((done) => child.once('close', done));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'tray-for-sonos: Sonos did not accept your integration’s key or secret. Check TFS_CLIENT_ID and TFS_CLIENT_SECRET, then run `tray-for-sonos login` again.',
    );
  });

  it('a household that refuses local control is told the CLI’s way to the cloud', async () => {
    sim.control.setLocalAuth(true);
    try {
      const run = await cli(['volume', sim.state().groups[0]!.name, '30', ...base]);
      expect(run.code).toBe(1);
      expect(said(run)).toBe(
        'This household does not allow local control. Sign in with `tray-for-sonos login --insecure-storage` and add --cloud to control it through your Sonos account.',
      );
    } finally {
      sim.control.setLocalAuth(false);
    }
  });
});
