/**
 * Where the popover opens: next to the tray icon, on the side away from the screen edge the tray sits on (below
 * a top menu bar, above a bottom taskbar, beside a side taskbar), always inside the work area. Some Linux trays
 * report empty bounds; then the popover opens near the mouse pointer instead.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export type TrayEdge = 'top' | 'bottom' | 'left' | 'right';

export interface PositionInput {
  tray: Rect;
  window: { width: number; height: number };
  /** The display the tray (or the pointer) is on. */
  display: { bounds: Rect; workArea: Rect };
  cursor: Point;
  /** Space between the tray and the popover. */
  gap?: number;
}

export function isEmptyRect(rect: Rect): boolean {
  return rect.width <= 0 || rect.height <= 0;
}

/** Which screen edge the tray sits on: the one whose reserved strip (bounds minus work area) contains it. */
export function trayEdge(tray: Rect, display: { bounds: Rect; workArea: Rect }): TrayEdge {
  const { bounds, workArea } = display;
  const cx = tray.x + tray.width / 2;
  const cy = tray.y + tray.height / 2;
  if (cy < workArea.y) return 'top';
  if (cy >= workArea.y + workArea.height) return 'bottom';
  if (cx < workArea.x) return 'left';
  if (cx >= workArea.x + workArea.width) return 'right';
  // The work area does not exclude the tray (auto-hiding taskbars, some Linux panels): use the nearest edge.
  const distances: [TrayEdge, number][] = [
    ['top', cy - bounds.y],
    ['bottom', bounds.y + bounds.height - cy],
    ['left', cx - bounds.x],
    ['right', bounds.x + bounds.width - cx],
  ];
  return distances.sort((a, b) => a[1] - b[1])[0]![0];
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}

export function popoverPosition(input: PositionInput): Point {
  const { window: size, display, cursor } = input;
  const gap = input.gap ?? 4;
  const area = display.workArea;
  let x: number;
  let y: number;

  if (isEmptyRect(input.tray)) {
    // Open with the pointer at the popover's near corner, flipped so it stays on screen.
    const below = cursor.y + gap + size.height <= area.y + area.height;
    y = below ? cursor.y + gap : cursor.y - gap - size.height;
    x = cursor.x - size.width / 2;
  } else {
    const tray = input.tray;
    switch (trayEdge(tray, display)) {
      case 'top':
        x = tray.x + tray.width / 2 - size.width / 2;
        y = Math.max(tray.y + tray.height, area.y) + gap;
        break;
      case 'bottom':
        x = tray.x + tray.width / 2 - size.width / 2;
        y = Math.min(tray.y, area.y + area.height) - gap - size.height;
        break;
      case 'left':
        x = Math.max(tray.x + tray.width, area.x) + gap;
        y = tray.y + tray.height - size.height;
        break;
      case 'right':
        x = Math.min(tray.x, area.x + area.width) - gap - size.width;
        y = tray.y + tray.height - size.height;
        break;
    }
  }
  return {
    x: Math.round(clamp(x, area.x + gap, area.x + area.width - size.width - gap)),
    y: Math.round(clamp(y, area.y + gap, area.y + area.height - size.height - gap)),
  };
}
