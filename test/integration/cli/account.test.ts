/**
 * `tray-for-sonos login | logout | account` and `--cloud`, as real processes against the in-process simulator's
 * cloud. The browser is played by walking the simulator's consent page; its final address is pasted on stdin.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../../main/core/store/conf-backend';
import { DEFAULT_CLIENT, startSimulator, type Simulator } from '../../simulator';
import { browse, tokenRequests } from '../../support/account-harness';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'main/cli/index.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let sim: Simulator;
let env: Record<string, string>;

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', ENTRY, ...args],
      { cwd: ROOT, env: { ...process.env, ...env, ...extraEnv }, timeout: 30_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** `login`: waits for the printed address, lets `answer` play the browser, pastes what it returns. */
function login(
  args: string[],
  answer: (url: string) => Promise<string>,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'login', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extraEnv },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout });
    let asked = false;
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/login\/v3\/oauth\?[^\s"]+)/.exec(line)?.[1] ?? null;
      if (url && !asked) {
        asked = true;
        answer(url).then((pasted) => child.stdin.end(`${pasted}\n`), fail);
      }
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  sim = await startSimulator({ players: 3, groups: '1+2,3', holdBackMs: 0, applyDelayMs: 0, seed: 21 });
  env = {
    TFS_CLIENT_ID: DEFAULT_CLIENT.clientId,
    TFS_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    TFS_REDIRECT_URI: DEFAULT_CLIENT.redirectUris[0]!,
    TFS_AUTH_BASE: sim.info.cloud.authBase,
    TFS_API_BASE: sim.info.cloud.apiBase,
  };
});
afterAll(async () => {
  await sim.stop();
});

describe('tray-for-sonos account commands', () => {
  it('login --paste: prints the address, exchanges the pasted one, and says the sign-in is memory only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-login-'));
    const run = await login(['--paste', '--data-dir', dir], (url) => browse(url));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Open this address in your browser');
    expect(run.stdout).toContain(`Signed in to your Sonos account. Households: ${sim.householdId}`);
    expect(run.stdout).toMatch(/kept in memory only.*--insecure-storage/);
    // Nothing of the sign-in outlived the process.
    const after = await cli(['account', '--json', '--data-dir', dir]);
    expect(JSON.parse(after.stdout)).toMatchObject({
      status: 'signedOut',
      client: { clientId: 'sim-client-id' },
    });
    expect(readFileSync(join(dir, STORE_FILE), 'utf8')).not.toContain('"session":{');
  });

  // Twelve CLI processes in a row: a minute on a busy machine.
  it('login --insecure-storage keeps the sign-in in a 0600 file; account, --cloud control and logout use it', async () => {
    // A data folder the CLI creates itself (nested, like its default one) is its owner's alone.
    const dir = join(mkdtempSync(join(tmpdir(), 'tfs-cli-keep-')), 'Tray for Sonos', 'cli');
    const run = await login(['--paste', '--insecure-storage', '--json', '--data-dir', dir], (url) =>
      browse(url),
    );
    expect(run.code, run.stderr).toBe(0);
    const [first, last] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toHaveProperty('authorizeUrl');
    expect(last).toMatchObject({ status: 'signedIn', storage: 'plaintext' });
    const file = join(dir, STORE_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o700);

    const account = await cli(['account', '--data-dir', dir], { TFS_CLIENT_SECRET: '' });
    expect(account.code, account.stderr).toBe(0);
    expect(account.stdout).toContain('Sonos account: signed in');
    expect(account.stdout).toMatch(/Access token expires: \d{4}-\d\d-\d\dT/);
    expect(account.stdout).toContain(`Households: ${sim.householdId}`);
    const accountJson = JSON.parse((await cli(['account', '--json', '--data-dir', dir])).stdout);
    expect(accountJson).toMatchObject({ status: 'signedIn', households: [{ id: sim.householdId }] });
    expect(accountJson.expiresAt).toBeGreaterThan(Date.now());

    const status = await cli(['status', '--cloud', '--data-dir', dir]);
    expect(status.code, status.stderr).toBe(0);
    for (const g of sim.state().groups) expect(status.stdout).toContain(`${g.name} — playing`);
    expect(status.stdout).not.toContain('!');

    const group = sim.state().groups.find((g) => g.playerIds.length === 2)!;
    const local: string[] = [];
    const off = sim.onCommand((c) => local.push(c.command));
    const volume = await cli(['volume', group.name, '23', '--cloud', '--data-dir', dir]);
    off();
    expect(volume.code, volume.stderr).toBe(0);
    expect(volume.stdout.trim()).toBe(`${group.name}: volume 23`);
    expect(sim.state().groups.find((g) => g.id === group.id)?.volume).toBe(23);
    expect(local).toEqual([]);
    const pause = await cli(['pause', group.name, '--cloud', '--json', '--data-dir', dir]);
    expect(JSON.parse(pause.stdout)).toMatchObject({ action: 'pause' });
    expect(sim.state().groups.find((g) => g.id === group.id)?.playbackState).toBe('PLAYBACK_STATE_PAUSED');

    // An expired token is renewed by the next command and the newest tokens are kept on file.
    sim.control.expireAllTokens();
    const refreshesBefore = tokenRequests(sim, 'refresh_token').length;
    expect((await cli(['mute', group.name, '--cloud', '--data-dir', dir])).code).toBe(0);
    expect(tokenRequests(sim, 'refresh_token')).toHaveLength(refreshesBefore + 1);
    expect((await cli(['mute', group.name, 'off', '--cloud', '--data-dir', dir])).code).toBe(0);
    expect(tokenRequests(sim, 'refresh_token')).toHaveLength(refreshesBefore + 1);

    // A settings file damaged by a crash was moved aside whole, tokens and all (as the store does with one that is
    // not JSON): logout takes that copy too.
    const stored = readFileSync(file, 'utf8');
    expect(stored).toMatch(/"refreshToken":\s*\{/);
    writeFileSync(`${file}.bak`, stored.slice(0, -20), { mode: 0o600 });
    const logout = await cli(['logout', '--data-dir', dir]);
    expect(logout.stdout.trim()).toBe('Signed out of your Sonos account.');
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.account).toMatchObject({
      insecureStorageAllowed: false,
      session: null,
      client: { clientId: DEFAULT_CLIENT.clientId, secret: null },
    });
    expect(existsSync(`${file}.bak`)).toBe(false);
    const denied = await cli(['status', '--cloud', '--data-dir', dir]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /Not signed in to Sonos: run `tray-for-sonos login --insecure-storage` first/,
    );
  }, 90_000); // about ten CLI processes in a row: seconds each on a busy machine

  it('refuses a settings file that is a symbolic link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-link-'));
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'tfs-cli-elsewhere-')), 'settings.json');
    writeFileSync(elsewhere, '{"version":1,"pins":{"RINCON_X":"AA:BB"}}');
    symlinkSync(elsewhere, join(dir, STORE_FILE));
    const run = await cli(['account', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/settings file is a link to another file/);
    expect(readFileSync(elsewhere, 'utf8')).toBe('{"version":1,"pins":{"RINCON_X":"AA:BB"}}');
  });

  it('a pasted address from another sign-in is refused and never exchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-state-'));
    const before = tokenRequests(sim).length;
    const run = await login(['--paste', '--data-dir', dir], async (url) => {
      const landed = new URL(await browse(url));
      landed.searchParams.set('state', 'someone-elses-state');
      return landed.toString();
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not belong to the sign-in in progress/);
    expect(tokenRequests(sim)).toHaveLength(before);
  });

  it('Deny in the browser: "Access was denied", with the CLI’s way to try again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-cli-deny-'));
    const run = await login(['--paste', '--data-dir', dir], (url) => browse(url, 'deny'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'tray-for-sonos: Access was denied on the Sonos sign-in page, so you are not signed in. Run `tray-for-sonos login` again to allow it.',
    );
  });

  it('login without the integration settings exits 2 and names them', async () => {
    const run = await cli(['login', '--data-dir', mkdtempSync(join(tmpdir(), 'tfs-cli-noenv-'))], {
      TFS_CLIENT_ID: '',
      TFS_CLIENT_SECRET: '',
      TFS_REDIRECT_URI: '',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TFS_CLIENT_ID, TFS_CLIENT_SECRET and TFS_REDIRECT_URI/);
  });
});
