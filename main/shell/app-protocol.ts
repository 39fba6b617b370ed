/**
 * The popover is served from `app://popover/…` rather than file://: a real origin for the IPC sender check and
 * the CSP header, and no access to the rest of the disk. Files come from the built renderer folder only, and album
 * art from main's art proxy under `app://popover/art/…` (the CSP's `img-src 'self'`).
 */
import { readStaticFile, securityHeaders } from '../bridge/static-files';
import { ART_PATH, artHeaders, type ArtImage } from '../core/art/art-proxy';
import { popoverCsp } from '../core/security/csp';

export const APP_PROTOCOL = 'app';
export const APP_HOST = 'popover';
export const APP_ORIGIN = `${APP_PROTOCOL}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Must run before `ready`. */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_PROTOCOL,
      privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false },
    },
  ]);
}

/** Serves a path under `/art/` (the art proxy's `serve`). */
export type ArtServer = (path: string) => Promise<ArtImage | null>;

export function appProtocolHandler(
  rendererDir: string,
  art: ArtServer | null = null,
): (request: Request) => Promise<Response> {
  const headers = securityHeaders(popoverCsp({ bridge: false }));
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET')
      return new Response(null, { status: 404, headers });
    if (url.pathname.startsWith(ART_PATH)) {
      const image = art ? await art(url.pathname) : null;
      return image
        ? new Response(new Uint8Array(image.body), { status: 200, headers: artHeaders(image.type) })
        : new Response(null, { status: 404, headers });
    }
    const file = await readStaticFile(rendererDir, url.pathname);
    if (file.status !== 200) return new Response(null, { status: file.status, headers });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': file.type },
    });
  };
}

export function serveApp(
  protocol: Pick<ProtocolLike, 'handle'>,
  rendererDir: string,
  art: ArtServer | null = null,
): void {
  protocol.handle(APP_PROTOCOL, appProtocolHandler(rendererDir, art));
}

export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}
