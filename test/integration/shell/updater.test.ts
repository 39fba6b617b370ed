/**
 * The updater with the real electron-updater against an update feed on 127.0.0.1 made by the test.
 *
 * Real: electron-updater 6.8.10's AppImageUpdater (the class its `autoUpdater` is on Linux outside a deb/rpm),
 * its generic provider reading `latest-linux.yml`, its HTTP executor on Electron's `net`, its download with
 * sha512 verification into its cache folder, and its install: replacing the file named by $APPIMAGE and starting
 * the new one. Fake: Electron itself (test/fakes/electron.ts — `app`, `net` over Node's http, `session`,
 * `autoUpdater`), and the "AppImages", which are small shell scripts, so starting the installed update writes a
 * marker file instead of opening an app. Timers are the test's, so "6 hours later" is a call.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import electronUpdater from 'electron-updater';
import { UpdateStateSchema, type Settings, type UpdateState } from '../../../main/contract/model';
import { createLogger, type LogRecord } from '../../../main/core/logger';
import { UPDATE_SCHEDULE, Updater, type Timers } from '../../../main/shell/updater';
import * as fake from '../../fakes/electron';
import { provideElectronToRequire } from '../../support/electron-for-require';
import { appImageName, sha512Base64, UpdateFeed } from '../../support/update-feed';

const { AppImageUpdater } = electronUpdater;

/** A stand-in AppImage: run, it records how it was started (the updater's environment) in $TFS_TEST_MARKER. */
function appImage(version: string): string {
  return [
    '#!/bin/sh',
    `echo "version=${version} silent=$APPIMAGE_SILENT_INSTALL exitAfterInstall=$APPIMAGE_EXIT_AFTER_INSTALL" >> "$TFS_TEST_MARKER"`,
    '',
  ].join('\n');
}

class ManualTimers implements Timers {
  pending: { run: () => void; ms: number }[] = [];
  setTimeout(run: () => void, ms: number): unknown {
    const entry = { run, ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((entry) => entry !== handle);
  }
  /** Fires the one scheduled timer; returns its delay. */
  fire(): number {
    expect(this.pending).toHaveLength(1);
    const entry = this.pending.shift()!;
    entry.run();
    return entry.ms;
  }
}

async function until<T>(read: () => T | null | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

let restoreRequire: () => void;
const saved = {
  resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
  APPIMAGE: process.env.APPIMAGE,
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
  TFS_TEST_MARKER: process.env.TFS_TEST_MARKER,
};

beforeAll(() => {
  restoreRequire = provideElectronToRequire();
});
afterAll(() => {
  restoreRequire();
  (process as { resourcesPath?: string | undefined }).resourcesPath = saved.resourcesPath;
  for (const key of ['APPIMAGE', 'XDG_CACHE_HOME', 'TFS_TEST_MARKER'] as const) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

let root: string;
let feed: UpdateFeed;
let timers: ManualTimers;
let records: LogRecord[];
let states: UpdateState[];
let settings: Settings['updates'];
let installed: string;
let marker: string;
let updater: Updater;

function warnings(): LogRecord[] {
  return records.filter((r) => r.level === 'warn' || r.level === 'error');
}

function cacheFiles(): string[] {
  const dir = join(root, 'cache', 'tray-for-sonos-updater');
  const out: string[] = [];
  const walk = (path: string): void => {
    if (!existsSync(path)) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name));
      else out.push(entry.name);
    }
  };
  walk(dir);
  return out;
}

async function startUpdater(): Promise<Updater> {
  const logger = createLogger((record) => records.push(record), { level: 'debug' });
  updater = new Updater({
    createUpdater: () => new AppImageUpdater(),
    app: fake.app,
    powerMonitor: fake.powerMonitor,
    platform: 'linux',
    env: process.env,
    resourcesPath: join(root, 'resources'),
    execPath: join(root, 'apps', 'Tray for Sonos.exe'),
    macSigned: async () => false,
    settings: () => settings,
    logger,
    timers,
  });
  updater.onChange((state) => states.push(state));
  await updater.start();
  return updater;
}

/** Runs the check the timer holds and waits until it settled (idle, ready or an error). */
async function scheduledCheck(): Promise<UpdateState> {
  const before = states.length;
  timers.fire();
  return until(() => {
    const fresh = states.slice(before);
    const last = fresh.at(-1);
    return last && last.status !== 'checking' && last.status !== 'downloading' ? last : null;
  }, 'the check to settle');
}

beforeEach(async () => {
  fake.resetElectronFake();
  root = mkdtempSync(join(tmpdir(), 'tfs18-updater-'));
  feed = new UpdateFeed();
  await feed.start();
  mkdirSync(join(root, 'resources'));
  mkdirSync(join(root, 'apps'));
  // What electron-builder writes into resources/ of an AppImage (publish config + cache folder name).
  writeFileSync(
    join(root, 'resources', 'app-update.yml'),
    `provider: generic\nurl: ${feed.url}\nupdaterCacheDirName: tray-for-sonos-updater\n`,
  );
  (process as { resourcesPath?: string }).resourcesPath = join(root, 'resources');
  process.env.XDG_CACHE_HOME = join(root, 'cache');
  installed = join(root, 'apps', appImageName('0.1.0'));
  writeFileSync(installed, appImage('0.1.0'));
  chmodSync(installed, 0o755);
  process.env.APPIMAGE = installed;
  marker = join(root, 'marker.txt');
  process.env.TFS_TEST_MARKER = marker;
  fake.app.isPackaged = true;
  fake.app.version = '0.1.0';
  fake.app.paths.userData = join(root, 'userData');
  fake.app.markReady();
  timers = new ManualTimers();
  records = [];
  states = [];
  settings = { automatic: true, prerelease: false };
});

afterEach(async () => {
  updater?.dispose();
  await feed.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Whatever happened, the popover was only ever told versions and sentences. */
function expectNoAddressesOrFiles(): void {
  for (const state of states) {
    expect(v.safeParse(UpdateStateSchema, state).success).toBe(true);
    const text = JSON.stringify(state);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain('http');
    expect(text).not.toContain(root);
    expect(text).not.toContain('.AppImage');
    expect(text).not.toContain('.yml');
  }
}

describe('updates with electron-updater against a local feed', () => {
  it('on Linux outside a deb or rpm, electron-updater picks its AppImage updater', () => {
    expect(electronUpdater.autoUpdater).toBeInstanceOf(AppImageUpdater);
  });

  it('checks 10 s after start; a newer version is downloaded, verified and offered', async () => {
    const content = appImage('0.2.0');
    feed.publish('0.2.0', { content });
    await startUpdater();
    expect(updater.state()).toMatchObject({ status: 'idle', currentVersion: '0.1.0' });
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.firstCheckMs]);

    const settled = await scheduledCheck();
    expect(settled).toMatchObject({ status: 'ready', availableVersion: '0.2.0', error: null });
    const statuses = states.map((s) => s.status).filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['checking', 'downloading', 'ready']);
    expect(feed.downloads()).toEqual([`/${appImageName('0.2.0')}`]);
    // The verified file waits in electron-updater's cache; the installed one is untouched until the install.
    expect(cacheFiles()).toContain(appImageName('0.2.0'));
    expect(readFileSync(installed, 'utf8')).toBe(appImage('0.1.0'));
    // The next regular check is 6 hours away.
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.intervalMs]);
    expectNoAddressesOrFiles();
  });

  it('"Update to 0.2.0 — Restart" replaces the AppImage, starts the new one and quits', async () => {
    feed.publish('0.2.0', { content: appImage('0.2.0'), redirect: true });
    await startUpdater();
    await scheduledCheck();
    expect(updater.state().status).toBe('ready');
    const quitForUpdate: string[] = [];
    fake.autoUpdater.on('before-quit-for-update', () => quitForUpdate.push('before-quit-for-update'));
    fake.app.on('before-quit', () => quitForUpdate.push('before-quit'));

    updater.install();

    const replaced = join(root, 'apps', appImageName('0.2.0'));
    // The installed file had the version in its name, so the new one takes the new name and the old one goes.
    expect(existsSync(installed)).toBe(false);
    expect(readFileSync(replaced, 'utf8')).toBe(appImage('0.2.0'));
    const started = await until(
      () => existsSync(marker) && readFileSync(marker, 'utf8'),
      'the new app to start',
    );
    expect(started.trim()).toBe('version=0.2.0 silent=true exitAfterInstall=');
    await until(() => quitForUpdate.length === 2, 'the app to quit');
    expect(quitForUpdate).toEqual(['before-quit-for-update', 'before-quit']);
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
  });

  it('a downloaded update installs when the user quits, without starting it again', async () => {
    feed.publish('0.2.0', { content: appImage('0.2.0') });
    await startUpdater();
    await scheduledCheck();

    fake.app.quit();

    expect(readFileSync(join(root, 'apps', appImageName('0.2.0')), 'utf8')).toBe(appImage('0.2.0'));
    expect(existsSync(installed)).toBe(false);
    // Run once, synchronously, and told to exit after installing.
    expect(readFileSync(marker, 'utf8').trim()).toBe('version=0.2.0 silent=true exitAfterInstall=true');
  });

  it.each([
    ['the same version', '0.1.0'],
    ['an older version', '0.0.9'],
  ])('%s is not offered and nothing is downloaded', async (_, version) => {
    feed.publish(version, { content: appImage(version) });
    await startUpdater();
    const settled = await scheduledCheck();
    expect(settled).toMatchObject({ status: 'idle', availableVersion: null, error: null });
    expect(settled.lastCheckedAt).toEqual(expect.any(Number));
    expect(feed.checks()).toBe(1);
    expect(feed.downloads()).toEqual([]);
    expect(() => updater.install()).toThrow(/No update is ready/);
    expect(warnings()).toEqual([]);
  });

  it('a download that does not match its sha512 is refused, deleted and reported', async () => {
    feed.publish('0.2.0', { content: appImage('0.2.0'), sha512: sha512Base64('something else') });
    await startUpdater();
    const settled = await scheduledCheck();

    expect(settled.status).toBe('idle');
    expect(settled.availableVersion).toBeNull();
    expect(settled.error).toMatchObject({
      code: 'update-unverified',
      details: { technical: 'ERR_CHECKSUM_MISMATCH' },
    });
    expect(feed.downloads()).toHaveLength(1);
    expect(cacheFiles().filter((name) => name.endsWith('.AppImage'))).toEqual([]);
    expect(() => updater.install()).toThrow(/No update is ready/);
    expect(readFileSync(installed, 'utf8')).toBe(appImage('0.1.0'));
    expect(warnings().map((r) => r.message)).toEqual(['update download failed; trying again later']);
    expect(warnings()[0]!.fields).toMatchObject({ code: 'ERR_CHECKSUM_MISMATCH' });
    // Tried again in an hour, not in six.
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.retryMs]);
    expectNoAddressesOrFiles();
  });

  it('a feed that is down is logged once, retried later, and works when it is back', async () => {
    feed.publish('0.2.0', { content: appImage('0.2.0') });
    await feed.stop();
    await startUpdater();

    const first = await scheduledCheck();
    expect(first.error).toMatchObject({
      code: 'unreachable',
      details: { technical: 'net::ERR_CONNECTION_REFUSED' },
    });
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.retryMs]);
    const second = await scheduledCheck();
    expect(second.error?.code).toBe('unreachable');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toBe('update check failed; trying again later');
    expect(records.filter((r) => r.message === 'update check failed again')).toHaveLength(1);

    await feed.restart();
    const third = await scheduledCheck();
    expect(third).toMatchObject({ status: 'ready', availableVersion: '0.2.0', error: null });
    expect(records.some((r) => r.message === 'update check works again')).toBe(true);
    expectNoAddressesOrFiles();
  });

  it('a feed answering with a web page is not update information: logged once, retried', async () => {
    feed.mode = 'html';
    await startUpdater();
    const first = await scheduledCheck();
    expect(first.error?.code).toBe('update-invalid');
    await scheduledCheck();
    expect(feed.checks()).toBe(2);
    expect(warnings()).toHaveLength(1);
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.retryMs]);
    expectNoAddressesOrFiles();
  });

  it('a pre-release is offered only to someone who opted in', async () => {
    feed.publish('0.2.0-beta.1', { content: appImage('0.2.0-beta.1') });
    await startUpdater();
    const declined = await scheduledCheck();
    expect(declined).toMatchObject({ status: 'idle', availableVersion: null, error: null });
    expect(feed.downloads()).toEqual([]);

    settings = { automatic: true, prerelease: true };
    updater.check();
    const offered = await until(
      () => (updater.state().status === 'ready' ? updater.state() : null),
      'the pre-release to be downloaded',
    );
    expect(offered.availableVersion).toBe('0.2.0-beta.1');
  });

  it('on battery power the scheduled check waits for AC; "Check now" does not wait', async () => {
    feed.publish('0.1.0', { content: appImage('0.1.0') });
    fake.powerMonitor.onBattery = true;
    await startUpdater();
    timers.fire();
    await new Promise((done) => setTimeout(done, 50));
    expect(feed.checks()).toBe(0);
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.batteryRecheckMs]);

    fake.powerMonitor.onBattery = false;
    fake.powerMonitor.emit('on-ac');
    await until(() => feed.checks() === 1, 'the deferred check');

    fake.powerMonitor.onBattery = true;
    updater.check();
    await until(() => feed.checks() === 2, 'the check the user asked for');
  });

  it('with automatic checks off nothing is scheduled; turning them on checks soon', async () => {
    feed.publish('0.1.0', { content: appImage('0.1.0') });
    settings = { automatic: false, prerelease: false };
    await startUpdater();
    expect(timers.pending).toEqual([]);
    settings = { automatic: true, prerelease: false };
    updater.applySettings();
    expect(timers.pending.map((t) => t.ms)).toEqual([UPDATE_SCHEDULE.firstCheckMs]);
    settings = { automatic: false, prerelease: false };
    updater.applySettings();
    expect(timers.pending).toEqual([]);
    expect(feed.checks()).toBe(0);
  });
});

describe('copies that do not update themselves', () => {
  it.each([
    ['run from source', { packaged: false, env: {} }, 'development'],
    ['an unpacked folder', { packaged: true, env: {} }, 'not-installed'],
    ['a snap', { packaged: true, env: { SNAP: '/snap/tray-for-sonos/1', APPIMAGE: undefined } }, 'store'],
  ] as const)('%s says so and never asks the feed', async (_, { packaged, env }, reason) => {
    feed.publish('0.2.0', { content: appImage('0.2.0') });
    fake.app.isPackaged = packaged;
    let created = 0;
    const logger = createLogger((record) => records.push(record));
    updater = new Updater({
      createUpdater: () => (created++, new AppImageUpdater()),
      app: fake.app,
      powerMonitor: fake.powerMonitor,
      platform: 'linux',
      env: { ...env },
      resourcesPath: join(root, 'resources'),
      execPath: join(root, 'apps', 'Tray for Sonos.exe'),
      macSigned: async () => true,
      settings: () => settings,
      logger,
      timers,
    });
    await updater.start();
    expect(updater.state()).toMatchObject({ status: 'unsupported', unsupported: reason });
    expect(updater.check().status).toBe('unsupported');
    expect(created).toBe(0);
    expect(timers.pending).toEqual([]);
    expect(feed.requests).toEqual([]);
  });

  it('a deb or rpm install (package-type in resources) updates', async () => {
    writeFileSync(join(root, 'resources', 'package-type'), 'deb');
    const logger = createLogger(() => {});
    updater = new Updater({
      createUpdater: () => new AppImageUpdater(),
      app: fake.app,
      powerMonitor: fake.powerMonitor,
      platform: 'linux',
      env: {},
      resourcesPath: join(root, 'resources'),
      execPath: join(root, 'apps', 'Tray for Sonos.exe'),
      macSigned: async () => false,
      settings: () => settings,
      logger,
      timers,
    });
    await updater.start();
    expect(updater.state().unsupported).toBeNull();
  });

  it.each([
    [false, 'not-installed'],
    [true, null],
  ] as const)('Windows, NSIS uninstaller beside the app=%s → unsupported %s', async (nsis, reason) => {
    if (nsis) writeFileSync(join(root, 'apps', 'Uninstall Tray for Sonos.exe'), '');
    updater = new Updater({
      createUpdater: () => new AppImageUpdater(),
      app: fake.app,
      powerMonitor: fake.powerMonitor,
      platform: 'win32',
      env: {},
      resourcesPath: join(root, 'resources'),
      execPath: join(root, 'apps', 'Tray for Sonos.exe'),
      macSigned: async () => false,
      settings: () => settings,
      logger: createLogger(() => {}),
      timers,
    });
    await updater.start();
    expect(updater.state().unsupported).toBe(reason);
  });

  it.each([
    [false, 'unsigned-mac'],
    [true, null],
  ] as const)('macOS signed=%s → unsupported %s', async (signed, reason) => {
    const logger = createLogger(() => {});
    updater = new Updater({
      createUpdater: () => new AppImageUpdater(),
      app: fake.app,
      powerMonitor: fake.powerMonitor,
      platform: 'darwin',
      env: {},
      resourcesPath: join(root, 'resources'),
      execPath: join(root, 'apps', 'Tray for Sonos.exe'),
      macSigned: async () => signed,
      settings: () => settings,
      logger,
      timers,
    });
    await updater.start();
    expect(updater.state().unsupported).toBe(reason);
    expect(timers.pending).toHaveLength(signed ? 1 : 0);
  });
});
