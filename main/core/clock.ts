/**
 * Time as a dependency: the account's 7-minute sign-in limit and token refresh run on a `Clock`, so tests move
 * time by hand instead of waiting (and the simulator they talk to keeps real time).
 */
export type TimerHandle = { readonly id: unknown };

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own timers cap at 2^31-1 ms; longer waits are chained. Timers never keep the process alive. */
const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle: { id: NodeJS.Timeout } = { id: undefined as unknown as NodeJS.Timeout };
    const due = Date.now() + Math.max(0, ms);
    const arm = (wait: number): void => {
      handle.id = setTimeout(
        () => {
          const left = due - Date.now();
          if (left > 0) arm(left);
          else callback();
        },
        Math.min(wait, MAX_TIMER_MS),
      );
      handle.id.unref?.();
    };
    arm(Math.max(0, ms));
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout((handle as { id: NodeJS.Timeout }).id);
  },
};
