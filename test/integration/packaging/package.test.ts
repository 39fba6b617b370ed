/**
 * Packaging smoke test: electron-builder makes an unpacked Linux app offline, with a stub standing in for the
 * Electron binary we cannot download here, and the asar must hold the main process, the preload, the popover and
 * the production dependencies; the tray icons ride along as extra resources. The stub carries a fuse wire laid out
 * as Electron 45's (build/fuses/fuses.json5 in electron/electron), so the fuses electron-builder flips are read
 * back from the packaged binary; electron-builder's own Linux helper gives the desktop entry the deb and AppImage
 * would install.
 */
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';

const ROOT = resolve(import.meta.dirname, '../../..');

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: ROOT, timeout: 120_000, env: { ...process.env, CI: 'true' } },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

let unpacked: string;
/** @electron/fuses' marker before the fuse wire in an Electron binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    const build = await run('npm', ['run', '-s', 'build']);
    expect(build.code, build.output).toBe(0);
  }
  const stub = mkdtempSync(join(tmpdir(), 'tfs-electron-stub-'));
  // Sentinel, wire version 1, 9 fuses with Electron 45's defaults ('1' on, '0' off).
  const wire = `${FUSE_SENTINEL}\x01\x09101100011`;
  writeFileSync(join(stub, 'electron'), `#!/bin/sh\necho "stub electron"\nexit 0\n# ${wire}\n`, 'latin1');
  chmodSync(join(stub, 'electron'), 0o755);
  const output = mkdtempSync(join(tmpdir(), 'tfs-dist-'));
  const result = await run('npx', [
    'electron-builder',
    '--linux',
    'dir',
    `--config.electronDist=${stub}`,
    `--config.directories.output=${output}`,
    // Never publish from a test, whatever CI variables or git tag the environment has.
    '--publish',
    'never',
    `--config.afterPack=${join(ROOT, 'test/integration/packaging/desktop-entry-hook.mjs')}`,
  ]);
  expect(result.code, result.output).toBe(0);
  unpacked = join(output, 'linux-unpacked');
}, 180_000);

describe('packaging (linux dir, stub electronDist)', () => {
  it('builds the app executable and an asar', () => {
    expect(existsSync(join(unpacked, 'tray-for-sonos'))).toBe(true);
    expect(existsSync(join(unpacked, 'resources/app.asar'))).toBe(true);
  });

  it('the asar holds main, preload, renderer and the production dependencies, and no sources or tests', () => {
    const files = listPackage(join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) =>
      f.replaceAll('\\', '/'),
    );
    for (const file of [
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/package.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => /^\/out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    for (const dependency of [
      'ws',
      'undici',
      'valibot',
      'electron-store',
      'conf',
      'bonjour-service',
      'electron-updater',
      'builder-util-runtime',
      '@jellybrick/dbus-next',
    ]) {
      expect(files).toContain(`/node_modules/${dependency}/package.json`);
    }
    expect(
      files.some((f) => f.startsWith('/main/') || f.startsWith('/test/') || f.startsWith('/renderer/')),
    ).toBe(false);
    expect(
      files.some((f) => f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/vitest/')),
    ).toBe(false);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
  });

  it('ships the tray icons as extra resources', () => {
    for (const icon of ['trayTemplate.png', 'trayTemplate@2x.png', 'tray.ico', 'tray.png', 'tray@2x.png']) {
      expect(existsSync(join(unpacked, 'resources/tray', icon)), icon).toBe(true);
    }
  });

  // Each target as electron-builder resolves it: builder-config.test.ts.
  it('declares the sign-in scheme, the macOS agent mode and the Linux desktop entry', () => {
    const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML document
    expect(config.appId).toBe('io.github.trayforsonos.app');
    expect(config.protocols[0].schemes).toEqual(['io.github.trayforsonos']);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.linux.syncDesktopName).toBe(true);
    expect(config.asar).toBe(true);
    // A deb `depends` would replace electron-builder's runtime dependencies (GTK, NSS, xdg-utils), not add to them.
    expect(config.deb?.depends).toBeUndefined();
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no --inspect, app code only from the asar', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'tray-for-sonos'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    // The popover loads from app://, so file:// gets no extra privileges.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
    // Left as Electron ships it (the app keeps no cookies).
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(OFF);
  });

  it('installs the desktop entry as desktopName, the app id Electron and the Wayland portal use, with the scheme', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { desktopName: string };
    expect(pkg.desktopName).toBe('io.github.trayforsonos.desktop');
    const { fileName, entry } = JSON.parse(
      readFileSync(join(unpacked, '..', 'desktop-entry.json'), 'utf8'),
    ) as {
      fileName: string;
      entry: string;
    };
    expect(fileName).toBe(pkg.desktopName);
    expect(entry).toContain('\nMimeType=x-scheme-handler/io.github.trayforsonos;\n');
    expect(entry).toContain('\nName=Tray for Sonos\n');
    expect(entry).toContain('\nStartupWMClass=io.github.trayforsonos\n');
    expect(entry).toContain('\nExec="/opt/Tray for Sonos/tray-for-sonos" %U\n');
  });
});
