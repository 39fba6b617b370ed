/**
 * The popover's Content-Security-Policy. Scripts and styles only from our own origin, no inline code, images from
 * our origin plus `data:` and `https:` (album art), and no network except — in the browser demo — the bridge's
 * websocket on the same origin. The Electron shell and the demo server both send it as a header.
 */
export function popoverCsp(options: { bridge: boolean }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src ${options.bridge ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
