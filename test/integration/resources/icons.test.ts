import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIcns, buildIco, makeIcons } from '../../../scripts/make-icons';
import { readPng } from '../../support/png';

const RESOURCES = resolve(import.meta.dirname, '../../../resources');
const EXPECTED: [string, number][] = [
  ['tray/trayTemplate.png', 16],
  ['tray/trayTemplate@2x.png', 32],
  ['tray/tray.png', 24],
  ['tray/tray@2x.png', 48],
  ['build/icon.png', 512],
];

/** (type, PNG width) for each image in an ICNS file. */
function icnsImages(data: Buffer): [string, number][] {
  expect(data.toString('ascii', 0, 4)).toBe('icns');
  expect(data.readUInt32BE(4)).toBe(data.length);
  const out: [string, number][] = [];
  for (let offset = 8; offset < data.length;) {
    const length = data.readUInt32BE(offset + 4);
    out.push([
      data.toString('ascii', offset, offset + 4),
      readPng(data.subarray(offset + 8, offset + length)).width,
    ]);
    offset += length;
  }
  return out;
}

function icoSizes(data: Buffer): number[] {
  const count = data.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => data.readUInt8(6 + i * 16) || 256);
}

describe('icons', () => {
  it('the committed icons have the sizes each OS wants', () => {
    for (const [path, size] of EXPECTED) {
      const png = readPng(readFileSync(join(RESOURCES, path)));
      expect([path, png.width, png.height]).toEqual([path, size, size]);
    }
    expect(icoSizes(readFileSync(join(RESOURCES, 'tray/tray.ico')))).toEqual([
      16, 20, 24, 32, 40, 48, 64, 256,
    ]);
    // The installers' app icons: electron-builder takes .icns and .ico as they are (at least 256 px for Windows).
    expect(icnsImages(readFileSync(join(RESOURCES, 'build/icon.icns')))).toEqual([
      ['ic07', 128],
      ['ic08', 256],
      ['ic09', 512],
      ['ic10', 1024],
    ]);
    expect(icoSizes(readFileSync(join(RESOURCES, 'build/icon.ico')))).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('macOS template images are black ink on transparency, so the menu bar can tint them', () => {
    for (const path of ['tray/trayTemplate.png', 'tray/trayTemplate@2x.png']) {
      const { pixels } = readPng(readFileSync(join(RESOURCES, path)));
      expect(pixels).not.toBeNull();
      let inked = 0;
      for (let i = 0; i < pixels!.length; i += 4) {
        const [r, g, b, a] = [pixels![i]!, pixels![i + 1]!, pixels![i + 2]!, pixels![i + 3]!];
        if (a > 0) {
          inked += 1;
          expect(Math.max(r, g, b)).toBeLessThan(40);
        }
      }
      expect(inked).toBeGreaterThan(20);
      // Transparent corners: not a filled square.
      expect(pixels![3]).toBe(0);
    }
  });

  it('the committed script makes them from the one SVG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tfs-icons-'));
    const written = await makeIcons(out);
    expect(written.sort()).toEqual(
      [...EXPECTED.map(([p]) => p), 'tray/tray.ico', 'build/icon.icns', 'build/icon.ico'].sort(),
    );
    expect(icnsImages(readFileSync(join(out, 'build/icon.icns'))).map(([, size]) => size)).toEqual([
      128, 256, 512, 1024,
    ]);
    for (const [path, size] of EXPECTED) expect(readPng(readFileSync(join(out, path))).width).toBe(size);
  }, 60_000);

  it('refuses an ICNS size Apple has no PNG type for', () => {
    expect(() => buildIcns([{ size: 100, png: Buffer.from('x') }])).toThrow(/no PNG type/);
  });

  it('writes ICO directories that point at each image', () => {
    const a = Buffer.from('first');
    const b = Buffer.from('second!');
    const ico = buildIco([
      { size: 16, png: a },
      { size: 256, png: b },
    ]);
    expect(ico.readUInt16LE(4)).toBe(2);
    expect(icoSizes(ico)).toEqual([16, 256]);
    const offset = ico.readUInt32LE(6 + 16 + 12);
    expect(ico.subarray(offset, offset + b.length).toString()).toBe('second!');
  });
});
