/**
 * Packaging smoke test: electron-builder makes an unpacked Linux app offline, with a stub standing in for the
 * Electron binary we cannot download here, and the asar must hold the main process, the preload, the popover and
 * the production dependencies; the tray icons ride along as extra resources.
 */
import { listPackage } from '@electron/asar';
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

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    const build = await run('npm', ['run', '-s', 'build']);
    expect(build.code, build.output).toBe(0);
  }
  const stub = mkdtempSync(join(tmpdir(), 'tfs-electron-stub-'));
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
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
    expect(config.linux.desktop.entry.MimeType).toBe('x-scheme-handler/io.github.trayforsonos;');
    expect(config.asar).toBe(true);
    // A deb `depends` would replace electron-builder's runtime dependencies (GTK, NSS, xdg-utils), not add to them.
    expect(config.deb?.depends).toBeUndefined();
  });
});
