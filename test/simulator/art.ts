/**
 * Album art the players serve themselves, the two ways real ones do: over plain http on a second port (like
 * `http://<player>:1400/getaa?s=1&u=…` for the local library, line-in and many radio stations) and over https on
 * the player's own port with its own certificate. Made-up SVG covers, so the demo never loads an image from the
 * internet.
 */
import type { ServerResponse } from 'node:http';
import { escapeHtml, sendJson, sendText } from './http-util';
import { RADIO, trackAt, TRACKS } from './tracks';

/** The cover for a track (`index` ≥ 0) or for the radio station (`index` < 0). */
export function coverSvg(index: number): string {
  const radio = index < 0;
  const hue = radio ? 200 : (index * 47) % 360;
  const label = escapeHtml(radio ? RADIO.name : trackAt(index).name.slice(0, 18));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300"><rect width="300" height="300" fill="hsl(${hue},55%,45%)"/><circle cx="150" cy="130" r="70" fill="hsl(${hue},55%,30%)"/><text x="150" y="260" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">${label}</text></svg>`;
}

/** `/getaa?s=1&u=<object id>` on the http art port: the cover of that track. */
export function getaaPath(index: number): string {
  return `/getaa?s=1&u=${encodeURIComponent(trackAt(index).objectId)}`;
}

/** `/art/radio.svg` on the player's https port: the station's logo. */
export const RADIO_ART_PATH = '/art/radio.svg';

/** Answers an art request, or returns false when `url` is not one (the caller goes on). */
export function serveArt(url: URL, res: ServerResponse, secure: boolean): boolean {
  if (secure && url.pathname === RADIO_ART_PATH) {
    sendText(res, 200, coverSvg(-1), 'image/svg+xml');
    return true;
  }
  if (!secure && url.pathname === '/getaa') {
    const objectId = url.searchParams.get('u');
    const index = TRACKS.findIndex((t) => t.objectId === objectId);
    if (index < 0) sendJson(res, 404, { error: 'no such item' });
    else sendText(res, 200, coverSvg(index), 'image/svg+xml');
    return true;
  }
  return false;
}
