/** The popover's JavaScript and CSS as shipped, gzip-compressed. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { round } from '../stats';

export function measureRendererGzipKb(rendererDir: string): number {
  const assets = join(rendererDir, 'assets');
  let bytes = 0;
  for (const file of readdirSync(assets)) {
    if (/\.(js|css)$/.test(file)) bytes += gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
  }
  return round(bytes / 1024, 1);
}
