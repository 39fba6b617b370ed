import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint rules', () => {
  it('fails a core file that imports electron', async () => {
    const found = await messages(
      'main/core/violation.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(found.join('\n')).toMatch(/no-restricted-imports: .*Only main\/shell\/ and preload\//);
  });

  it('fails a require of electron too, and a type import', async () => {
    const found = await messages(
      'main/core/violation.ts',
      "import type { App } from 'electron';\nexport type A = App;\n",
    );
    expect(found.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('lets the shell and the preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await messages('main/shell/fine.ts', code)).toEqual([]);
    expect(await messages('preload/fine.ts', code)).toEqual([]);
  });

  it('fails renderer code that imports main/ beyond the contract types', async () => {
    const core = await messages(
      'renderer/lib/violation.ts',
      "import { AppError } from '../../main/core/errors';\nexport const e = AppError;\n",
    );
    expect(core.join('\n')).toMatch(/only through the contract/);

    const runtimeContract = await messages(
      'renderer/lib/violation.ts',
      "import { invokeChannels } from '../../main/contract/ipc';\nexport const c = invokeChannels;\n",
    );
    expect(runtimeContract.join('\n')).toMatch(/only types from the contract/);

    const typeOnly = await messages(
      'renderer/lib/fine.ts',
      "import type { TrayApi } from '../../main/contract/ipc';\nexport type T = TrayApi;\n",
    );
    expect(typeOnly).toEqual([]);
  });

  it('fails a svelte component that imports core code', async () => {
    const found = await messages(
      'renderer/components/Violation.svelte',
      '<script lang="ts">\n  import { AppError } from \'../../main/core/errors\';\n  const e = AppError;\n</script>\n<p>{String(e)}</p>\n',
    );
    expect(found.join('\n')).toMatch(/only through the contract/);
  });

  it('keeps node and network modules out of the renderer', async () => {
    const found = await messages(
      'renderer/lib/violation.ts',
      "import { request } from 'undici';\nexport const r = request;\n",
    );
    expect(found.join('\n')).toMatch(/never touches the network/);
  });
});
