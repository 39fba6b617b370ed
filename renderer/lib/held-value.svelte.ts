/**
 * What a slider shows: main's value, except while the user is working it. Main is optimistic too, but its patches
 * trail the pointer by a tick or more, so main's value during and just after a gesture is often an echo of a value
 * the user already passed; showing it would flick the thumb back. So:
 *
 * - while the user holds the slider (pointer or key down) it shows the user's value, whatever main says;
 * - after letting go it keeps the user's value while main's is one of the gesture's echoes (a value the user sent,
 *   or the value before the gesture), and shows main's as soon as it is anything else: news from another
 *   controller, or main caught up;
 * - a gesture ends `SETTLE_MS` after the user's last change or release; from then on main's value is shown as is.
 */
const SETTLE_MS = 1_500;

export class HeldValue {
  holding = $state(false);
  #local = $state<number | null>(null);
  /** Values main may echo during this gesture (at most the 101 volumes). */
  #echoes = $state.raw<readonly (number | null)[]>([]);
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #outside: () => number | null;

  shown = $derived.by(() => {
    const outside = this.#outside();
    const local = this.#local;
    if (local === null) return outside;
    if (this.holding) return local;
    return this.#echoes.includes(outside) ? local : outside;
  });

  constructor(outside: () => number | null) {
    this.#outside = outside;
  }

  set(value: number): void {
    const echoes = this.#local === null ? [this.#outside()] : this.#echoes;
    if (!echoes.includes(value)) this.#echoes = [...echoes, value];
    else if (echoes !== this.#echoes) this.#echoes = echoes;
    this.#local = value;
    if (!this.holding) this.#settleLater();
  }

  hold(): void {
    if (this.holding) return;
    this.holding = true;
    this.#cancelSettle();
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.#settleLater();
  }

  /** Forget the user's value (main refused it): show main's again. */
  reset(): void {
    this.#cancelSettle();
    this.#local = null;
    this.#echoes = [];
  }

  dispose(): void {
    this.#cancelSettle();
  }

  #settleLater(): void {
    this.#cancelSettle();
    this.#timer = setTimeout(() => this.reset(), SETTLE_MS);
  }

  #cancelSettle(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
