/**
 * The text of the polite live region. Several sentences in one tick (two groups changed track together) are
 * joined into one announcement rather than the second replacing the first. Screen readers announce a *change* of
 * the content, so the same sentence again gets an invisible trailing no-break space to differ.
 */
export class Announcer {
  message = $state('');
  #queue: string[] = [];

  say(text: string): void {
    this.#queue.push(text);
    if (this.#queue.length > 1) return;
    queueMicrotask(() => {
      const next = this.#queue.join('. ');
      this.#queue = [];
      this.message = next === this.message ? `${next}\u00a0` : next;
    });
  }
}
