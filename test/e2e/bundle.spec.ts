/** The built popover (what `npm test` just built and the browser tests load) is within its size budget. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { budgetLine, builtRendererBytes, RENDERER_BUDGET_BYTES } from '../../vite.renderer.config';
import { expect, RENDERER_DIR, test } from './fixtures';

test('the renderer’s JS and CSS are at most 50 KB gzip', () => {
  const assets = join(RENDERER_DIR, 'assets');
  expect(existsSync(assets), 'the renderer is built').toBe(true);
  const { bytes, files } = builtRendererBytes(assets);
  expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  expect(files.some((f) => f.endsWith('.css'))).toBe(true);
  test.info().annotations.push({ type: 'bundle', description: budgetLine(bytes) });
  console.log(budgetLine(bytes));
  expect(bytes).toBeLessThanOrEqual(RENDERER_BUDGET_BYTES);
});
