import { describe, expect, it } from 'vitest';
import { volumeForKey, WheelSteps } from '../../../../renderer/lib/slider-input';

describe('volumeForKey', () => {
  it('steps arrows by 1 and PageUp/PageDown by 10, within 0–100', () => {
    expect(volumeForKey('ArrowUp', 35)).toBe(36);
    expect(volumeForKey('ArrowRight', 35)).toBe(36);
    expect(volumeForKey('ArrowDown', 35)).toBe(34);
    expect(volumeForKey('ArrowLeft', 35)).toBe(34);
    expect(volumeForKey('PageUp', 35)).toBe(45);
    expect(volumeForKey('PageDown', 35)).toBe(25);
    expect(volumeForKey('PageUp', 95)).toBe(100);
    expect(volumeForKey('PageDown', 4)).toBe(0);
    expect(volumeForKey('ArrowDown', 0)).toBe(0);
  });

  it('goes to the ends with Home and End', () => {
    expect(volumeForKey('Home', 35)).toBe(0);
    expect(volumeForKey('End', 35)).toBe(100);
  });

  it('leaves other keys alone', () => {
    expect(volumeForKey('Tab', 35)).toBeNull();
    expect(volumeForKey('a', 35)).toBeNull();
    expect(volumeForKey('Escape', 35)).toBeNull();
  });
});

describe('WheelSteps', () => {
  it('turns one wheel notch (100 px) away from the user into one step up, towards the user one down', () => {
    expect(new WheelSteps().take({ deltaY: -100, deltaMode: 0 })).toBe(1);
    expect(new WheelSteps().take({ deltaY: 100, deltaMode: 0 })).toBe(-1);
  });

  it('adds up small trackpad deltas before stepping', () => {
    const wheel = new WheelSteps();
    const steps = [30, 30, 30, 30, 30].map((deltaY) => wheel.take({ deltaY, deltaMode: 0 }));
    expect(steps).toEqual([0, 0, 0, -1, 0]);
  });

  it('counts lines as 40 px and starts afresh when the direction changes', () => {
    const wheel = new WheelSteps();
    expect(wheel.take({ deltaY: 2, deltaMode: 1 })).toBe(0);
    expect(wheel.take({ deltaY: -3, deltaMode: 1 })).toBe(1);
    expect(wheel.take({ deltaY: -1, deltaMode: 1 })).toBe(0);
    expect(wheel.take({ deltaY: -1, deltaMode: 1 })).toBe(1);
  });
});
