/**
 * Keyboard and wheel arithmetic for the volume sliders, kept pure for unit tests. Chromium's own range input
 * steps PageUp/PageDown by its own rule, so every key is handled here and the native step is prevented.
 */

const KEY_DELTAS: Record<string, number> = {
  ArrowUp: 1,
  ArrowRight: 1,
  ArrowDown: -1,
  ArrowLeft: -1,
  PageUp: 10,
  PageDown: -10,
};

export function clampVolume(value: number): number {
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** The value a key moves the slider to, or null for keys the slider leaves alone (Tab, letters, modifiers). */
export function volumeForKey(key: string, value: number): number | null {
  if (key === 'Home') return 0;
  if (key === 'End') return 100;
  const delta = KEY_DELTAS[key];
  return delta === undefined ? null : clampVolume(value + delta);
}

/** Pixels of wheel travel per step: one notch of a mouse wheel is 100 px in Chromium, so one notch, one step. */
export const WHEEL_PX_PER_STEP = 100;
const LINE_PX = 40;
const PAGE_PX = 800;

/** Accumulates wheel travel so a trackpad's many small deltas add up to the same steps as a wheel's notches. */
export class WheelSteps {
  #travel = 0;

  /** Whole steps to move for this event: positive is up (louder), i.e. the wheel turned away from the user. */
  take(event: { deltaY: number; deltaMode: number }): number {
    const px = event.deltaY * (event.deltaMode === 1 ? LINE_PX : event.deltaMode === 2 ? PAGE_PX : 1);
    // A change of direction starts afresh instead of first paying back the travel the other way.
    if (Math.sign(px) !== Math.sign(this.#travel)) this.#travel = 0;
    this.#travel += px;
    const steps = Math.trunc(this.#travel / WHEEL_PX_PER_STEP);
    this.#travel -= steps * WHEEL_PX_PER_STEP;
    return steps === 0 ? 0 : -steps;
  }
}
