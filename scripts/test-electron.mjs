#!/usr/bin/env node
// `npm run test:electron`: the real-Electron smoke test (test/electron, playwright.electron.config.ts).
//
// It needs an Electron binary: the packaged app named by TFS_ELECTRON_APP (the release workflow), or the one in
// node_modules/electron (after `npx install-electron`). Where there is none — as on machines that cannot download
// Electron — it prints one line saying so and exits 0; `npm test` never runs it. On Linux without a display it
// runs itself again under `xvfb-run`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** The binary node_modules/electron would run, found without requiring it (a require downloads it). */
function electronBinary() {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  }
  return executable ? join(ROOT, 'node_modules/electron/dist', executable) : null;
}

const packaged = process.env.TFS_ELECTRON_APP || null;
const binary = packaged ?? electronBinary();
if (!binary || !existsSync(binary)) {
  const where = packaged
    ? `TFS_ELECTRON_APP=${packaged}`
    : (binary ?? 'node_modules/electron (not installed)');
  console.log(
    `Electron smoke test skipped: no Electron binary at ${where} — run \`npx install-electron\` where Electron can be downloaded.`,
  );
  process.exit(0);
}

if (
  process.platform === 'linux' &&
  !process.env.DISPLAY &&
  !process.env.WAYLAND_DISPLAY &&
  !process.env.TFS_UNDER_XVFB
) {
  const result = spawnSync('xvfb-run', ['--auto-servernum', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, TFS_UNDER_XVFB: '1' },
  });
  if (result.error) {
    console.error(
      `Electron smoke test: xvfb-run is needed on Linux without a display (${result.error.message}).`,
    );
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}

if (!packaged) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const result = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.electron.config.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, ...(packaged ? {} : { TFS_ELECTRON_BINARY: binary }) },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
