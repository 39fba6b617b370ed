import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { budgetLine, bundleBudget, gzipBytes, RENDERER_BUDGET_BYTES } from '../../vite.renderer.config';

type WriteBundle = (this: { error(message: string): never }, output: unknown, bundle: unknown) => void;

function run(budget: number, bundle: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const plugin = bundleBudget({ budget, report: (line) => lines.push(line) });
  const context = {
    error(message: string): never {
      throw new Error(message);
    },
  };
  (plugin.writeBundle as WriteBundle).call(context, {}, bundle);
  return lines;
}

describe('the renderer bundle budget plugin', () => {
  const js = 'export const popover = "small";\n'.repeat(20);
  const css = ':root { color: red }\n'.repeat(20);
  const bundle = {
    'assets/index.js': { type: 'chunk', fileName: 'assets/index.js', code: js },
    'assets/index.css': { type: 'asset', fileName: 'assets/index.css', source: css },
    'assets/logo.svg': { type: 'asset', fileName: 'assets/logo.svg', source: '<svg/>'.repeat(5000) },
  };

  it('reports the gzip sum of JS and CSS only, against the budget', () => {
    const bytes = gzipBytes(js) + gzipBytes(css);
    expect(run(RENDERER_BUDGET_BYTES, bundle)).toEqual([
      `renderer JS+CSS: ${(bytes / 1024).toFixed(1)} KB gzip (budget 50 KB)`,
    ]);
  });

  it('fails the build above the budget', () => {
    const big = randomBytes(4096).toString('base64');
    const over = { 'assets/big.js': { type: 'chunk', fileName: 'assets/big.js', code: big } };
    expect(() => run(2048, over)).toThrow(/renderer JS\+CSS: \d+\.\d KB gzip \(budget 2 KB\): over budget/);
  });

  it('writes the line the build prints', () => {
    expect(budgetLine(31_130)).toBe('renderer JS+CSS: 30.4 KB gzip (budget 50 KB)');
  });
});
