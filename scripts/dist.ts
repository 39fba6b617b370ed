/**
 * `npm run dist` and the release workflow: electron-builder with signing and notarisation taken from the
 * environment only when it is really there. CI passes every secret as a variable, and an unset GitHub secret is an
 * empty string — which electron-builder reads as "a certificate is given" and then fails on. So empty values are
 * dropped, keychain auto-discovery is off without a certificate (nothing is signed by accident), and an App Store
 * Connect key given as its text (APPLE_API_KEY_P8) is written to a private temporary file for notarytool.
 *
 *   npx tsx scripts/dist.ts --linux --publish never
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** electron-builder's signing and notarisation variables (README, "Releases"). */
export const SIGNING_VARIABLES = [
  'CSC_LINK',
  'CSC_KEY_PASSWORD',
  'WIN_CSC_LINK',
  'WIN_CSC_KEY_PASSWORD',
  'APPLE_API_KEY',
  'APPLE_API_KEY_ID',
  'APPLE_API_ISSUER',
  'APPLE_ID',
  'APPLE_APP_SPECIFIC_PASSWORD',
  'APPLE_TEAM_ID',
] as const;

export interface ReleaseEnv {
  env: NodeJS.ProcessEnv;
  /** Removes what was written (the API key file). */
  cleanUp(): void;
}

export function releaseEnv(source: NodeJS.ProcessEnv): ReleaseEnv {
  const env: NodeJS.ProcessEnv = { ...source };
  for (const name of [...SIGNING_VARIABLES, 'APPLE_API_KEY_P8']) {
    if (!env[name]?.trim()) delete env[name];
  }
  let keyDir: string | null = null;
  if (env.APPLE_API_KEY_P8) {
    keyDir = mkdtempSync(join(tmpdir(), 'tfs-notarize-'));
    const file = join(keyDir, `AuthKey_${env.APPLE_API_KEY_ID ?? 'key'}.p8`);
    writeFileSync(file, env.APPLE_API_KEY_P8, { mode: 0o600 });
    env.APPLE_API_KEY = file;
    delete env.APPLE_API_KEY_P8;
  }
  if (!env.CSC_LINK) env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  return {
    env,
    cleanUp: () => {
      if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { env, cleanUp } = releaseEnv(process.env);
  const signing = SIGNING_VARIABLES.filter((name) => env[name]);
  process.stdout.write(
    `electron-builder with ${signing.length ? signing.join(', ') : 'no signing variables'}\n`,
  );
  try {
    const result = spawnSync('npx', ['electron-builder', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env,
      shell: process.platform === 'win32',
    });
    process.exitCode = result.status ?? 1;
  } finally {
    cleanUp();
  }
}
