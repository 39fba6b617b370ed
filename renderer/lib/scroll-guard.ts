/**
 * Remembers when the popover last scrolled, so a wheel gesture that is scrolling the list does not start turning
 * a volume slider that passes under the pointer. Only sliders ask; the rest of the page scrolls as usual.
 */
const SCROLL_SETTLE_MS = 300;
let lastScrollAt = -Infinity;

export function noteScroll(): void {
  lastScrollAt = performance.now();
}

export function scrolledRecently(): boolean {
  return performance.now() - lastScrollAt < SCROLL_SETTLE_MS;
}
