/**
 * Runs electronegativity over a folder and writes its findings as JSON, deterministically:
 *
 * - through its programmatic API, not its CSV report. The CLI writes the CSV with two unordered async
 *   `fs.writeFile` calls on the same path — the header with flag `w`, the rows with flag `a`
 *   (`dist/util/file.js`, `writeCsvHeader` and `writeIssues`). Under load the header can land after the rows and
 *   overwrite their first bytes (the garbled `ml,4:0,default-src … CSP_GLOBAL_CHECK` row seen in CI), or truncate
 *   them away entirely (a report that passes with nothing in it).
 * - with no network: it fetches translations (i18n.js) and Electron's release list (the security-fixes check)
 *   through `got`; here `got` fails at once, as it does without connectivity, so nothing waits on a DNS timeout
 *   and nothing leaves this machine.
 *
 * Usage: `node --import tsx test/support/electronegativity-scan.ts <folder> <result.json> <electron version>`.
 */
import Module, { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const [input, output, electronVersion] = process.argv.slice(2);
if (!input || !output || !electronVersion) {
  process.stderr.write('usage: electronegativity-scan <folder> <result.json> <electron version>\n');
  process.exit(2);
}

// Every `require('got')` inside electronegativity gets a client that is offline.
const offline = (): Promise<never> => Promise.reject(new Error('offline: no network in this scan'));
const got = Object.assign(offline, { head: offline, get: offline });
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = (request: string, ...rest: unknown[]) => (request === 'got' ? got : load(request, ...rest));

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  sample?: string;
  description?: string;
}

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity') as (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

const result = await run(
  {
    input,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);
writeFileSync(
  output,
  JSON.stringify({
    issues: result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity?.name ?? null,
      confidence: issue.confidence?.name ?? null,
      file: issue.file,
      location: `${issue.location?.line}:${issue.location?.column}`,
      sample: issue.sample ?? null,
    })),
    errors: result.errors,
  }),
);
