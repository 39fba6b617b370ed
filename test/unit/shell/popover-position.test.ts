import { describe, expect, it } from 'vitest';
import { popoverPosition, trayEdge } from '../../../main/shell/popover-position';

const window = { width: 360, height: 560 };
const mac = {
  bounds: { x: 0, y: 0, width: 1440, height: 900 },
  workArea: { x: 0, y: 25, width: 1440, height: 875 },
};
const windows = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};

describe('popoverPosition', () => {
  it('opens below a tray in a top menu bar, centred on the icon', () => {
    const tray = { x: 1200, y: 0, width: 22, height: 24 };
    expect(trayEdge(tray, mac)).toBe('top');
    expect(popoverPosition({ tray, window, display: mac, cursor: { x: 0, y: 0 } })).toEqual({
      x: 1031,
      y: 29,
    });
  });

  it('opens above a tray in a bottom taskbar, kept inside the work area', () => {
    const tray = { x: 1800, y: 1045, width: 24, height: 30 };
    expect(trayEdge(tray, windows)).toBe('bottom');
    expect(popoverPosition({ tray, window, display: windows, cursor: { x: 0, y: 0 } })).toEqual({
      x: 1556,
      y: 476,
    });
  });

  it('opens beside a tray in a left or right taskbar', () => {
    const left = { bounds: windows.bounds, workArea: { x: 60, y: 0, width: 1860, height: 1080 } };
    const tray = { x: 10, y: 800, width: 40, height: 40 };
    expect(trayEdge(tray, left)).toBe('left');
    expect(popoverPosition({ tray, window, display: left, cursor: { x: 0, y: 0 } })).toEqual({
      x: 64,
      y: 280,
    });

    const right = { bounds: windows.bounds, workArea: { x: 0, y: 0, width: 1860, height: 1080 } };
    const trayRight = { x: 1870, y: 800, width: 40, height: 40 };
    expect(trayEdge(trayRight, right)).toBe('right');
    expect(popoverPosition({ tray: trayRight, window, display: right, cursor: { x: 0, y: 0 } })).toEqual({
      x: 1496,
      y: 280,
    });
  });

  it('opens near the pointer when the tray reports empty bounds (some Linux trays)', () => {
    const empty = { x: 0, y: 0, width: 0, height: 0 };
    expect(popoverPosition({ tray: empty, window, display: windows, cursor: { x: 500, y: 10 } })).toEqual({
      x: 320,
      y: 14,
    });
    // Near the bottom, it flips above the pointer; near the right edge, it stays on screen.
    expect(popoverPosition({ tray: empty, window, display: windows, cursor: { x: 1910, y: 1030 } })).toEqual({
      x: 1556,
      y: 466,
    });
  });

  it('works on a second display with negative coordinates', () => {
    const display = {
      bounds: { x: -1920, y: 0, width: 1920, height: 1080 },
      workArea: { x: -1920, y: 0, width: 1920, height: 1040 },
    };
    const tray = { x: -100, y: 1045, width: 24, height: 30 };
    const { x, y } = popoverPosition({ tray, window, display, cursor: { x: 0, y: 0 } });
    expect(x).toBeLessThanOrEqual(-364);
    expect(x).toBeGreaterThanOrEqual(-1916);
    expect(y).toBe(476);
  });

  it('uses the nearest edge when the work area does not exclude the tray (auto-hide)', () => {
    const full = { bounds: windows.bounds, workArea: windows.bounds };
    expect(trayEdge({ x: 1800, y: 1050, width: 24, height: 24 }, full)).toBe('bottom');
    expect(trayEdge({ x: 1800, y: 2, width: 24, height: 24 }, full)).toBe('top');
  });
});
