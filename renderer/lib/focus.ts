/** Focuses an element when it appears (a step that replaces the control the user just pressed). */
export function focusOnMount(element: HTMLElement): void {
  queueMicrotask(() => element.focus());
}
