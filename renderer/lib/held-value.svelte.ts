/**
 * What a slider shows: the value from main, except while the user holds the slider (pointer down, key down) or
 * until main catches up with the value the user last set. Main is optimistic too, but its patches trail the
 * pointer by a tick or more; without this the thumb would flick back under the finger.
 */
export class HeldValue {
  holding = $state(false);
  #local = $state<number | null>(null);
  /** Main's value when the user last set one; once main's value moves off it, main's value is news again. */
  #basis = $state<number | null>(null);
  readonly #outside: () => number | null;

  shown = $derived.by(() => {
    const outside = this.#outside();
    if (this.#local === null) return outside;
    if (this.holding) return this.#local;
    return outside === this.#basis ? this.#local : outside;
  });

  constructor(outside: () => number | null) {
    this.#outside = outside;
  }

  set(value: number): void {
    this.#local = value;
    this.#basis = this.#outside();
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.#basis = this.#outside();
  }

  /** Forget the user's value (main refused it): show main's again. */
  reset(): void {
    this.#local = null;
  }
}
