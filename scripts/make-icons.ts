/**
 * Makes every icon from `resources/icon.svg` with Chromium (the same one the browser tests use):
 * - macOS tray: template images (black + alpha) `trayTemplate.png` 16×16 and `trayTemplate@2x.png` 32×32;
 * - Windows tray: `tray.ico` with 16–256 px images;
 * - Linux tray: `tray.png` 24×24 and `tray@2x.png` 48×48;
 * - the app icon for packaging: `resources/build/icon.png` 512×512 (Linux), `icon.icns` 128–1024 px (macOS) and
 *   `icon.ico` 16–256 px (Windows), ready made so electron-builder needs no icon converter (which it downloads).
 * Run `npx tsx scripts/make-icons.ts [outDir]` after changing the SVG, and commit the results.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';

const ROOT = resolve(import.meta.dirname, '..');
const SVG = readFileSync(join(ROOT, 'resources/icon.svg'), 'utf8');

/** An ICO file holding PNG images (Vista+ reads PNG entries; every Windows Electron supports runs). */
export function buildIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** Apple's ICNS types that hold a PNG, by pixel size (ic10 is 512@2x). */
export const ICNS_TYPES: Record<number, string> = { 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };

/** An ICNS file holding PNG images: "icns", the total length, then (type, length, data) per image. */
export function buildIcns(images: { size: number; png: Buffer }[]): Buffer {
  const entries = images.map(({ size, png }) => {
    const type = ICNS_TYPES[size];
    if (!type) throw new Error(`ICNS has no PNG type for ${size} px`);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + entries.reduce((sum, e) => sum + e.length, 0), 4);
  return Buffer.concat([header, ...entries]);
}

type Style = 'template' | 'colour' | 'app';

function page(style: Style, size: number): string {
  const svg =
    style === 'template'
      ? SVG.replace('<svg ', '<svg style="color:#000" ')
      : style === 'colour'
        ? // A dark body with light ink reads on light and dark panels alike.
          SVG.replace('<svg ', '<svg style="color:#f5f5f7" ').replace('<rect ', '<rect style="fill:#2c2c30" ')
        : SVG.replace('<svg ', '<svg style="color:#fff" ');
  const plate =
    style === 'app'
      ? `background:linear-gradient(160deg,#3a3a40,#111114);border-radius:${size * 0.22}px;`
      : '';
  const inner = style === 'app' ? size * 0.7 : size;
  return `<!doctype html><html><body style="margin:0;background:transparent">
    <div style="width:${size}px;height:${size}px;display:grid;place-items:center;${plate}">
      <div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div>
    </div></body></html>`;
}

export async function makeIcons(outDir = join(ROOT, 'resources')): Promise<string[]> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const written: string[] = [];
  try {
    const render = async (style: Style, size: number): Promise<Buffer> => {
      const context = await browser.newContext({
        viewport: { width: size, height: size },
        deviceScaleFactor: 1,
      });
      const tab = await context.newPage();
      await tab.setContent(page(style, size));
      const png = await tab.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      await context.close();
      return png;
    };
    const write = (path: string, data: Buffer): void => {
      const file = join(outDir, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, data);
      written.push(path);
    };
    write('tray/trayTemplate.png', await render('template', 16));
    write('tray/trayTemplate@2x.png', await render('template', 32));
    write('tray/tray.png', await render('colour', 24));
    write('tray/tray@2x.png', await render('colour', 48));
    const icoSizes = [16, 20, 24, 32, 40, 48, 64, 256];
    write(
      'tray/tray.ico',
      buildIco(
        await Promise.all(icoSizes.map(async (size) => ({ size, png: await render('colour', size) }))),
      ),
    );
    write('build/icon.png', await render('app', 512));
    const appIcon = async (size: number) => ({ size, png: await render('app', size) });
    write('build/icon.icns', buildIcns(await Promise.all([128, 256, 512, 1024].map(appIcon))));
    write('build/icon.ico', buildIco(await Promise.all([16, 24, 32, 48, 64, 128, 256].map(appIcon))));
  } finally {
    await browser.close();
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const written = await makeIcons(out);
  process.stdout.write(`wrote ${written.join(', ')}\n`);
}
