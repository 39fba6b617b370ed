/**
 * The README and the developers' guide are what a new user follows first, so what they say is checked: every file
 * they link to is in the repository, every command line can be pasted as it is (no line that a shell would read as
 * a pipeline, no bare `tray-for-sonos` that `npm ci` does not put on the PATH), and their statements about Node
 * and Electron match the lock file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const DOCS = ['README.md', 'DEVELOPERS.md', 'docs/design/README.md', 'test/simulator/README.md'];

/** The lines of the ```sh blocks of a Markdown text. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) lines.push(...block[1]!.split('\n'));
  return lines.filter((line) => line.trim() !== '');
}

interface LockPackage {
  engines?: { node?: string };
  scripts?: Record<string, string>;
}

/**
 * Whether Node `version` (x.y.z) satisfies an npm `engines` range, in the forms the lock file uses: `||` of
 * space-separated comparators `>=`, `>`, `<`, `^` or a bare version (`20`, `10.*`, `4.x`), and `*`.
 */
function satisfies(version: string, range: string): boolean {
  const have = version.split('.').map(Number);
  const compare = (parts: number[]): number => {
    for (let i = 0; i < parts.length; i++) if (have[i] !== parts[i]) return have[i]! - parts[i]!;
    return 0;
  };
  const comparator = (text: string): boolean => {
    const match = /^(>=|>|<=|<|\^|=)?\s*v?(\d+(?:\.(?:\d+|[x*]))*)$/.exec(text);
    if (text === '*' || text === '') return true;
    if (!match) throw new Error(`an engines range this test does not read: ${range}`);
    const parts = match[2]!
      .split('.')
      .filter((p) => p !== 'x' && p !== '*')
      .map(Number);
    switch (match[1]) {
      case '>=':
        return compare(parts) >= 0;
      case '>':
        return compare(parts) > 0;
      case '<=':
        return compare(parts) <= 0;
      case '<':
        return compare(parts) < 0;
      case '^':
        return have[0] === parts[0] && compare(parts) >= 0;
      default:
        return compare(parts) === 0;
    }
  };
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^)\s+/g, '$1')
      .split(/\s+/)
      .every(comparator),
  );
}

describe('the README and the developers’ guide', () => {
  it('link only to files that are in the repository', () => {
    const missing: string[] = [];
    for (const doc of DOCS) {
      for (const match of read(doc).matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(ROOT, dirname(doc), target))) missing.push(`${doc} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('have their “Read first” files in the repository, not beside it', () => {
    const guide = read('DEVELOPERS.md');
    const section = guide.slice(guide.indexOf('## Read first'), guide.indexOf('## Ground rules'));
    expect(section).not.toContain('../shared');
    const paths = [...section.matchAll(/`([\w./-]+\/[\w./-]*)`/g)].map((m) => m[1]!);
    expect(paths).toEqual(
      expect.arrayContaining([
        'docs/design/architecture.md',
        'docs/design/sonos-protocol.md',
        'docs/design/style.md',
      ]),
    );
    for (const path of paths) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it('show commands that work when pasted: no pipelines, and the CLI through npx', () => {
    const lines = shellLines(read('README.md'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const command = line.replace(/\s+#.*$/, '');
      expect(command, line).not.toMatch(/(^|\s)\|(\s|$)/);
      expect(command, line).not.toMatch(/^tray-for-sonos\b/);
    }
    expect(lines.filter((line) => line.startsWith('npx tray-for-sonos ')).length).toBeGreaterThan(5);
    expect(read('README.md')).toContain('npm link');
  });

  it('document the demo’s options, --json among them, with -s so its first line is the JSON', () => {
    const readme = read('README.md');
    expect(shellLines(readme)).toEqual(
      expect.arrayContaining(['npm run demo -- --help', 'npm run -s demo -- --json']),
    );
    expect(readme).toMatch(/\{"url": "http:\/\/127\.0\.0\.1:PORT\/\?token=…", "sim": \{…\}/);
  });

  it('name the Node versions package.json allows, and exactly the packages that warn EBADENGINE on them', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const oldest = /^>=(\d+\.\d+)$/.exec(engines)![1]!;
    const readme = read('README.md');
    expect(readme).toContain(`Node.js ${oldest} or later`);
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockPackage> };
    const warning = Object.entries(lock.packages)
      .filter(
        ([path, pkg]) => path !== '' && pkg.engines?.node && !satisfies(`${oldest}.0`, pkg.engines.node),
      )
      .map(([path]) => path.replace(/^.*node_modules\//, ''))
      .sort();
    expect(warning.length).toBeGreaterThan(0);
    const section = readme.slice(readme.indexOf('EBADENGINE'), readme.indexOf('**No display'));
    for (const name of warning) expect(section, name).toContain(`\`${name}\``);
    expect(section).toContain(`${warning.length === 6 ? 'six' : warning.length} development`);
  });

  it('say truly when Electron downloads its binary: not at npm ci (the package has no install script)', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, LockPackage & { hasInstallScript?: boolean }>;
    };
    expect(lock.packages['node_modules/electron']?.hasInstallScript).toBeUndefined();
    const readme = read('README.md');
    expect(readme.replace(/\s+/g, ' ')).toContain("the first `npm start` downloads Electron's binary");
    expect(readme).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1');
    expect(read('.ci/run')).toContain('export ELECTRON_SKIP_BINARY_DOWNLOAD=1');
  });
});
