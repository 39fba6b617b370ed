#!/usr/bin/env node
// `npm test`: every check CI runs, in order, then one closing line "N passed, N failed" adding up the vitest and
// Playwright test counts. Static checks (lint, types, formatting) that fail are reported above that line and make
// the run fail too. Every step runs even after a failure, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const OUT = '.test-output';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const env = {
  ...process.env,
  ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
  ELECTRON_OVERRIDE_DIST_PATH: '/tmp',
  NO_COLOR: '1',
};
const failedSteps = [];

function step(name, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  // npx and npm are .cmd scripts on Windows, which only a shell runs.
  const result = spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failedSteps.push(name);
    console.log(`✗ ${name} failed (${seconds} s)`);
  } else {
    console.log(`✓ ${name} (${seconds} s)`);
  }
  return result.status === 0;
}

const npx = 'npx';
step('eslint', npx, ['eslint', '--max-warnings=0', '.']);
step('prettier', npx, ['prettier', '--check', '--log-level=warn', '.']);
step('tsc (node)', npx, ['tsc', '--noEmit', '-p', 'tsconfig.node.json']);
step('tsc (web)', npx, ['tsc', '--noEmit', '-p', 'tsconfig.web.json']);
// Browser tests run functions in the page, so they type-check with the DOM (the Node config has none).
step('tsc (e2e)', npx, ['tsc', '--noEmit', '-p', 'tsconfig.e2e.json']);
step('svelte-check', npx, [
  'svelte-check',
  '--tsconfig',
  'tsconfig.web.json',
  '--threshold',
  'warning',
  '--fail-on-warnings',
]);
// The packaging and security tests in vitest read the build, so it comes first.
const built = step('build', 'npm', ['run', '-s', 'build']);
step('vitest', npx, [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${OUT}/vitest.json`,
]);
if (built) step('playwright', npx, ['playwright', 'test']);
else failedSteps.push('playwright (skipped: build failed)');

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
const vitest = readJson(`${OUT}/vitest.json`);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed +=
    (vitest.numFailedTests ?? 0) +
    (vitest.numTotalTestSuites && vitest.success === false && !vitest.numFailedTests ? 1 : 0);
} else {
  failed += 1;
}
const playwright = readJson(`${OUT}/playwright.json`);
if (playwright?.stats) {
  passed += playwright.stats.expected ?? 0;
  failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0);
} else {
  failed += 1;
}

if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
