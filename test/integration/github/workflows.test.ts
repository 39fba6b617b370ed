/**
 * The GitHub Actions workflows cannot run on this project's machines (no GitHub, no Electron download), so this
 * checks what can be checked here: they parse, run on the three OSes, call only scripts and tools that exist, keep
 * secrets out of commands, and point the smoke test at the folder and executable electron-builder really makes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_VARIABLES } from '../../../scripts/dist';
import { Arch, Platform, resolvePlatform, ROOT, type PlatformHelper } from '../../support/builder-config';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix: { os?: string[]; include?: Record<string, string>[] } };
  steps: Step[];
  'timeout-minutes'?: number;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const OSES = ['ubuntu-latest', 'macos-latest', 'windows-latest'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
  devDependencies: Record<string, string>;
};

function workflow(name: string): Workflow {
  return load(readFileSync(join(ROOT, '.github/workflows', name), 'utf8')) as Workflow;
}

/** Every command a workflow runs must exist: npm scripts, files under scripts/, and npx tools. */
function expectCommandsExist(steps: Step[]): void {
  for (const step of steps) {
    if (!step.run) continue;
    for (const [, script] of step.run.matchAll(/npm run (?:-s )?([\w:-]+)/g)) {
      expect(pkg.scripts, step.name).toHaveProperty([script!]);
    }
    if (/\bnpm test\b/.test(step.run)) expect(pkg.scripts.test).toBeDefined();
    for (const [, file] of step.run.matchAll(/\b(scripts\/[\w./-]+)/g)) {
      expect(existsSync(join(ROOT, file!)), file).toBe(true);
    }
    for (const [, tool] of step.run.matchAll(/\bnpx ([\w-]+)/g)) {
      expect(existsSync(join(ROOT, 'node_modules/.bin', tool!)), `npx ${tool}`).toBe(true);
    }
    // Secrets reach commands through `env:` only, never pasted into a command line.
    expect(step.run).not.toMatch(/\$\{\{\s*secrets\./);
  }
}

function nodeMajor(): number {
  return Number(/\d+/.exec(pkg.engines.node)![0]);
}

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const job = ci.jobs.test!;

  it('runs npm test on ubuntu, macos and windows for pushes to main and pull requests', () => {
    expect(ci.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(job.strategy!.matrix.os).toEqual(OSES);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.steps[0]!.uses).toBe('actions/checkout@v4');
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with?.['node-version']).toBe(nodeMajor());
    const runs = job.steps.map((s) => s.run ?? '');
    expect(runs.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(runs.indexOf('npm test'));
    expect(runs).toContain('npm run test:electron');
  });

  it('calls only what exists', () => expectCommandsExist(job.steps));
});

describe('release.yml', () => {
  const release = workflow('release.yml');
  const job = release.jobs.installers!;
  const include = job.strategy!.matrix.include!;
  let helpers: Record<string, PlatformHelper & { computeAppOutDir(out: string, arch: Arch): string }>;

  beforeAll(async () => {
    helpers = {};
    for (const [flag, platform] of [
      ['--linux', Platform.LINUX],
      ['--mac', Platform.MAC],
      ['--win', Platform.WINDOWS],
    ] as const) {
      helpers[flag] = (await resolvePlatform(platform)).helper as (typeof helpers)[string];
    }
  }, 120_000);

  it('builds the installers on the three OSes for a version tag and may write to releases', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(include.map((entry) => entry.os)).toEqual(OSES);
    expect(include.map((entry) => entry.platform)).toEqual(['--linux', '--mac', '--win']);
    const runs = job.steps.map((s) => s.run ?? '');
    expect(runs).toContain('npx tsx scripts/dist.ts ${{ matrix.platform }} --publish always');
    expect(runs).toContain('npm run test:electron');
  });

  it('publishes with the workflow token and passes only electron-builder signing variables, from secrets', () => {
    const publish = job.steps.find((s) => s.run?.includes('--publish always'))!;
    expect(publish.env!.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    for (const [name, value] of Object.entries(publish.env!)) {
      if (name === 'GH_TOKEN') continue;
      expect([...SIGNING_VARIABLES, 'APPLE_API_KEY_P8']).toContain(name);
      expect(value).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
    }
  });

  it('runs the smoke test against the executable electron-builder puts in its unpacked folder', () => {
    const smoke = job.steps.find((s) => s.run === 'npm run test:electron')!;
    expect(smoke.env!.TFS_ELECTRON_APP).toBe('${{ github.workspace }}/${{ matrix.app }}');
    // The runners: x64 Linux and Windows, arm64 macOS (macos-latest is Apple silicon).
    const runnerArch: Record<string, Arch> = { '--linux': Arch.x64, '--mac': Arch.arm64, '--win': Arch.x64 };
    for (const entry of include) {
      const helper = helpers[entry.platform!]!;
      const folder = helper
        .computeAppOutDir(join(ROOT, 'dist'), runnerArch[entry.platform!]!)
        .slice(ROOT.length + 1)
        .replaceAll('\\', '/');
      const product = helper.appInfo.productFilename;
      const executable =
        entry.platform === '--linux'
          ? helper.executableName
          : entry.platform === '--mac'
            ? `${product}.app/Contents/MacOS/${product}`
            : `${product}.exe`;
      expect(entry.app, entry.os).toBe(`${folder}/${executable}`);
    }
  });

  it('calls only what exists', () => expectCommandsExist(job.steps));
});
