/**
 * The popover's Content-Security-Policy. Scripts and styles only from our own origin, no inline code, images only
 * from our origin and `data:` — album art too, which main fetches and serves under `/art/` (main/core/art) — and
 * no network except — in the browser demo — the bridge's websocket on the same origin. The Electron shell and the demo server send it as a header; the built page also
 * carries it as a `<meta>` tag (without `frame-ancestors`, which a meta tag may not set), so the policy holds
 * however the page is loaded and security scanners can read it.
 */
export function popoverCsp(options: { bridge: boolean; meta?: boolean }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${options.bridge ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(options.meta ? [] : ["frame-ancestors 'none'"]),
    "object-src 'none'",
  ].join('; ');
}
